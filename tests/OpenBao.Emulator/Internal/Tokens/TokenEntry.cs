using OpenBao.Emulator.Internal.Http;
using OpenBao.Emulator.Internal.Namespaces;
using OpenBao.Emulator.Internal.Policies;

namespace OpenBao.Emulator.Internal.Tokens;

/// <summary>A service token and the lease that bounds its life.</summary>
internal sealed class TokenEntry
{
    public required string Id { get; init; }

    public required string Accessor { get; init; }

    public required NamespaceEntry Namespace { get; init; }

    /// <summary>Sanitised: lower case, sorted, <c>default</c> included for login tokens.</summary>
    public required IReadOnlyList<string> Policies { get; init; }

    /// <summary>Creation path, e.g. <c>auth/kubernetes/login</c>.</summary>
    public required string Path { get; init; }

    public required string DisplayName { get; init; }

    public required DateTimeOffset CreationTime { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public string EntityId { get; init; } = "";

    public TimeSpan CreationTtl { get; init; }

    /// <summary>The auth method and role that decide renewals; null for the root token.</summary>
    public IAuthBackend? Backend { get; init; }

    public string RoleName { get; init; } = "";

    /// <summary>Guards the mutable lease state below.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Null for a token that never expires (root).</summary>
    public DateTimeOffset? ExpireTime { get; set; }

    public DateTimeOffset? LastRenewalTime { get; set; }

    public bool Revoked { get; set; }

    public bool IsRoot => Policies.Contains(PolicyStore.RootPolicyName);

    public bool IsValidAt(DateTimeOffset now)
    {
        lock (Gate)
        {
            return !Revoked && (ExpireTime is not { } expiry || now < expiry);
        }
    }

    public AuthBlock ToAuthBlock(TimeSpan ttl) =>
        new(Id, Accessor, Policies, Metadata, (long)ttl.TotalSeconds, Renewable: true, EntityId);
}
