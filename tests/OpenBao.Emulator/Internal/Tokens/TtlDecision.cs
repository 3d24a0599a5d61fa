namespace OpenBao.Emulator.Internal.Tokens;

/// <summary>The granted TTL and its warnings, or why nothing could be granted.</summary>
internal readonly record struct TtlDecision(TimeSpan Ttl, IReadOnlyList<string> Warnings, string? Error);
