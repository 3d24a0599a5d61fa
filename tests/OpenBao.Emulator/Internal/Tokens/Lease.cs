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

    /// <summary>What the backend grants on renewal without an increment.</summary>
    public required TimeSpan BackendTtl { get; init; }

    /// <summary>Zero means the mount maximum.</summary>
    public required TimeSpan BackendMaxTtl { get; init; }

    public required bool Renewable { get; init; }

    /// <summary>OpenBao revokes a token's leases with the token.</summary>
    public required TokenEntry Owner { get; init; }

    /// <summary>Guards the mutable state below.</summary>
    public Lock Gate { get; } = new();

    public required DateTimeOffset ExpireTime { get; set; }

    public DateTimeOffset? LastRenewalTime { get; set; }

    public bool Revoked { get; set; }
}
