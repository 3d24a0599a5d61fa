using OpenBao.Emulator.Internal.Namespaces;
using OpenBao.Emulator.Internal.Policies;

namespace OpenBao.Emulator.Internal.Tokens;

/// <summary>Every token the emulator has issued, looked up by ID across namespaces.</summary>
internal sealed class TokenStore(TimeProvider time)
{
    private const int TokenLength = 24;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, TokenEntry> _tokens = new(StringComparer.Ordinal);

    public TokenEntry CreateRoot(NamespaceEntry root) => Add(new TokenEntry
    {
        Id = "s." + Base62.Random(TokenLength),
        Accessor = Base62.Random(TokenLength),
        Namespace = root,
        Policies = [PolicyStore.RootPolicyName],
        Path = "auth/token/root",
        DisplayName = "root",
        CreationTime = time.GetUtcNow(),
    });

    /// <returns>The token and the TTL it was granted.</returns>
    public (TokenEntry Token, TimeSpan Ttl) Issue(NamespaceEntry ns, TokenGrant grant)
    {
        var now = time.GetUtcNow();
        var ttl = TtlCalculator.Calculate(now, TimeSpan.Zero, grant.RoleTtl, TimeSpan.Zero, now).Ttl;
        var source = grant.MountPath["auth/".Length..].Replace('/', '-');
        var token = Add(new TokenEntry
        {
            Id = ns.Qualify("s." + Base62.Random(TokenLength)),
            Accessor = ns.Qualify(Base62.Random(TokenLength)),
            Namespace = ns,
            Policies = SanitizePolicies(grant.Policies),
            Path = grant.MountPath + "login",
            DisplayName = (source + grant.DisplayName).TrimEnd('-'),
            CreationTime = now,
            CreationTtl = ttl,
            Metadata = grant.Metadata,
            EntityId = ns.EntityIdFor(grant.MountPath, grant.AliasName),
            Backend = grant.Backend,
            RoleName = grant.RoleName,
            ExpireTime = now + ttl,
        });
        return (token, ttl);
    }

    /// <summary>The token if it exists, is not revoked and has not expired.</summary>
    public TokenEntry? FindValid(string id)
    {
        TokenEntry? token;
        lock (_gate)
        {
            _tokens.TryGetValue(id, out token);
        }

        return token is not null && token.IsValidAt(time.GetUtcNow()) ? token : null;
    }

    public static void Revoke(TokenEntry token)
    {
        lock (token.Gate)
        {
            token.Revoked = true;
        }
    }

    public void RevokeAllExceptRoot()
    {
        List<TokenEntry> tokens;
        lock (_gate)
        {
            tokens = [.. _tokens.Values.Where(token => !token.IsRoot)];
        }

        tokens.ForEach(Revoke);
    }

    /// <summary>OpenBao's <c>SanitizePolicies</c>: trimmed, lower case, unique, sorted, plus <c>default</c>.</summary>
    private static string[] SanitizePolicies(IEnumerable<string> policies) =>
        [.. policies
            .Select(policy => policy.Trim().ToLowerInvariant())
            .Where(policy => policy.Length > 0)
            .Append(PolicyStore.DefaultPolicyName)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    private TokenEntry Add(TokenEntry token)
    {
        lock (_gate)
        {
            _tokens.Add(token.Id, token);
        }

        return token;
    }
}
