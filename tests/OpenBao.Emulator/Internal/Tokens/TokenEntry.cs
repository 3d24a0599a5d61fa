using OpenBao.Emulator.Internal.Http;
using OpenBao.Emulator.Internal.Namespaces;
using OpenBao.Emulator.Internal.Policies;

namespace OpenBao.Emulator.Internal.Tokens;

/// <summary>A token and the lease that bounds its life.</summary>
internal sealed class TokenEntry
{
    private DateTimeOffset? _revokedAt;

    public required string Id { get; init; }

    /// <summary>Empty for batch tokens, which have no accessor.</summary>
    public required string Accessor { get; init; }

    public required NamespaceEntry Namespace { get; init; }

    /// <summary>Sanitised: lower case, sorted, <c>default</c> included for login tokens.</summary>
    public required IReadOnlyList<string> Policies { get; init; }

    /// <summary>Creation path, e.g. <c>auth/kubernetes/login</c>.</summary>
    public required string Path { get; init; }

    public required string DisplayName { get; init; }

    public required DateTimeOffset CreationTime { get; init; }

    public TokenType Type { get; init; } = TokenType.Service;

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public string EntityId { get; init; } = "";

    public TimeSpan CreationTtl { get; init; }

    /// <summary>Fixed at login from the role, as OpenBao stores it on the token entry.</summary>
    public TimeSpan Period { get; init; }

    public TimeSpan ExplicitMaxTtl { get; init; }

    /// <summary>The auth method and role that decide renewals; null for the root token.</summary>
    public IAuthBackend? Backend { get; init; }

    public string RoleName { get; init; } = "";

    /// <summary>Guards the mutable state below.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Null for a token that never expires (root).</summary>
    public DateTimeOffset? ExpireTime { get; set; }

    public DateTimeOffset? LastRenewalTime { get; set; }

    /// <summary>When a still-valid token was revoked; null while it was not (an expired token dies, it is not revoked).</summary>
    public DateTimeOffset? RevokedAt
    {
        get
        {
            lock (Gate)
            {
                return _revokedAt;
            }
        }
    }

    public bool RevokedBySelf { get; private set; }

    /// <summary>Successful <c>renew-self</c> calls.</summary>
    public int RenewalCount { get; set; }

    public bool IsRoot => Policies.Contains(PolicyStore.RootPolicyName);

    public string TypeName => Type == TokenType.Batch ? "batch" : "service";

    public bool IsValidAt(DateTimeOffset now)
    {
        lock (Gate)
        {
            return IsValidLocked(now);
        }
    }

    public DateTimeOffset? ReadExpireTime()
    {
        lock (Gate)
        {
            return ExpireTime;
        }
    }

    /// <returns>False when the token was already dead, so there was nothing to revoke.</returns>
    public bool TryRevoke(DateTimeOffset now, bool bySelf)
    {
        lock (Gate)
        {
            if (!IsValidLocked(now))
            {
                return false;
            }

            _revokedAt = now;
            RevokedBySelf = bySelf;
            return true;
        }
    }

    /// <summary>Batch tokens come back non-renewable, as <c>RegisterAuth</c> forces.</summary>
    public AuthBlock ToAuthBlock(TimeSpan ttl) =>
        new(Id, Accessor, Policies, Metadata, (long)ttl.TotalSeconds, Renewable: Type == TokenType.Service, EntityId, TypeName);

    private bool IsValidLocked(DateTimeOffset now)
    {
        if (_revokedAt is not null)
        {
            return false;
        }

        // A service token's lease is revoked the moment it expires; a batch token is refused only once
        // now is strictly after its expiry (lookupBatchToken uses time.Now().After).
        return ExpireTime is not { } expiry || (Type == TokenType.Batch ? now <= expiry : now < expiry);
    }
}
