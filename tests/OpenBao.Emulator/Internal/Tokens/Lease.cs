using OpenBao.Emulator.Internal.Namespaces;

namespace OpenBao.Emulator.Internal.Tokens;

/// <summary>A secret's lease: what renew, revoke and lookup act on.</summary>
internal sealed class Lease
{
    public required string Id { get; init; }

    /// <summary>The request path that created it, e.g. <c>database/creds/app</c>.</summary>
    public required string Path { get; init; }

    public required NamespaceEntry Namespace { get; init; }

    public required DateTimeOffset IssueTime { get; init; }

    /// <summary>The engine's TTLs as of now: OpenBao's engines answer a renewal from the role's current settings.</summary>
    public required Func<LeaseTerms> Terms { get; init; }

    /// <summary>Whether the engine can renew it at all (OpenBao: the secret type has a renew handler).</summary>
    public required bool Renewable { get; init; }

    /// <summary>A service token takes its leases with it; an orphan batch token does not (OpenBao keeps no index from it).</summary>
    public required TokenEntry Owner { get; init; }

    /// <summary>The duration the issuing response announced.</summary>
    public required TimeSpan GrantedTtl { get; init; }

    /// <summary>Guards the mutable state below.</summary>
    public Lock Gate { get; } = new();

    public required DateTimeOffset ExpireTime { get; set; }

    public DateTimeOffset? LastRenewalTime { get; set; }

    /// <summary>Gone through <c>sys/leases/revoke</c>; see <see cref="RevokedWhileLive"/> for whether that ended a live lease.</summary>
    public bool Revoked { get; set; }

    public bool RevokedWhileLive { get; set; }

    /// <summary>Successful <c>sys/leases/renew</c> calls.</summary>
    public int RenewCount { get; set; }

    public bool OwnedByBatchToken => Owner.Type == TokenType.Batch;
}
