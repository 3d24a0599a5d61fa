namespace OpenBao.Emulator.Internal.Tokens;

/// <summary>What a secrets engine hands the expiration manager on issue and renewal: its TTL and max TTL (zero = mount's).</summary>
internal readonly record struct LeaseTerms(TimeSpan Ttl, TimeSpan MaxTtl);
