using System.Buffers.Text;
using System.Security.Cryptography;
using OpenBao.Emulator.Internal.Namespaces;
using OpenBao.Emulator.Internal.Policies;

namespace OpenBao.Emulator.Internal.Tokens;

/// <summary>Every token the emulator has issued, looked up by ID across namespaces.</summary>
internal sealed class TokenStore(TimeProvider time)
{
    private const int TokenLength = 24;

    /// <summary>
    /// A real batch token is its entry, protobuf-encoded and sealed by the barrier (term, version,
    /// nonce and GCM tag add this much); the emulator keeps the length realistic with random bytes.
    /// </summary>
    private const int BatchSealOverhead = 33;

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

    /// <summary>OpenBao's <c>LoginCreateToken</c> and <c>RegisterAuth</c>: the TTL comes from the role's settings.</summary>
    /// <returns>The token and the TTL decision (its warnings belong in the login response).</returns>
    public (TokenEntry Token, TtlDecision Decision) Issue(NamespaceEntry ns, TokenGrant grant)
    {
        var now = time.GetUtcNow();
        var settings = grant.Settings;
        var decision = TtlCalculator.Calculate(now, TimeSpan.Zero, settings.Ttl, settings.Period, settings.MaxTtl, settings.ExplicitMaxTtl, now);
        var source = grant.MountPath["auth/".Length..].Replace('/', '-');
        var policies = SanitizePolicies(grant.Policies);
        var displayName = (source + grant.DisplayName).TrimEnd('-');
        var batch = settings.Type == TokenType.Batch;
        var token = Add(new TokenEntry
        {
            Id = ns.Qualify(batch ? NewBatchId(grant, policies, displayName) : "s." + Base62.Random(TokenLength)),
            Accessor = batch ? "" : ns.Qualify(Base62.Random(TokenLength)),
            Namespace = ns,
            Policies = policies,
            Path = grant.MountPath + "login",
            DisplayName = displayName,
            CreationTime = now,
            Type = settings.Type,
            CreationTtl = decision.Ttl,
            Period = settings.Period,
            ExplicitMaxTtl = settings.ExplicitMaxTtl,
            Metadata = grant.Metadata,
            EntityId = ns.EntityIdFor(grant.MountPath, grant.AliasName),
            Backend = grant.Backend,
            RoleName = grant.RoleName,

            // A batch token records its creation in whole Unix seconds and expires from there.
            ExpireTime = (batch ? TtlCalculator.TruncateToSeconds(now) : now) + decision.Ttl,
        });
        return (token, decision);
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

    /// <summary>Batch tokens too, although OpenBao cannot revoke them: this is the test's hand, not the API.</summary>
    public void RevokeAllExceptRoot()
    {
        var now = time.GetUtcNow();
        foreach (var token in Snapshot().Where(token => !token.IsRoot))
        {
            token.TryRevoke(now, bySelf: false);
        }
    }

    /// <param name="pathPrefix">Matched against the creation path seen from the root namespace,
    /// e.g. <c>auth/kubernetes/login</c> or <c>team-a/auth/jwt/login</c>; null matches all.</param>
    public TokenStatistics Statistics(string? pathPrefix)
    {
        int logins = 0, renewals = 0, revoked = 0;
        foreach (var token in Snapshot().Where(token => token.Backend is not null && Matches(token, pathPrefix)))
        {
            logins++;
            lock (token.Gate)
            {
                renewals += token.RenewalCount;
                revoked += token.RevokedBySelf ? 1 : 0;
            }
        }

        return new TokenStatistics(logins, renewals, revoked);
    }

    /// <summary>OpenBao's <c>SanitizePolicies</c>: trimmed, lower case, unique, sorted, plus <c>default</c>.</summary>
    private static string[] SanitizePolicies(IEnumerable<string> policies) =>
        [.. policies
            .Select(policy => policy.Trim().ToLowerInvariant())
            .Where(policy => policy.Length > 0)
            .Append(PolicyStore.DefaultPolicyName)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    /// <summary><c>b.</c> and unpadded base64url, the form OpenBao uses while server-side consistent tokens are off (its default).</summary>
    private static string NewBatchId(TokenGrant grant, IEnumerable<string> policies, string displayName)
    {
        // Roughly the size of the encoded entry: each string with a tag and length byte.
        var entrySize = policies.Sum(policy => policy.Length + 2)
            + grant.Metadata.Sum(pair => pair.Key.Length + pair.Value.Length + 6)
            + grant.MountPath.Length + "login".Length + displayName.Length + 36 + "root".Length + 24;
        return "b." + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(BatchSealOverhead + entrySize));
    }

    private static bool Matches(TokenEntry token, string? pathPrefix) =>
        pathPrefix is null || (token.Namespace.Path + token.Path).StartsWith(pathPrefix, StringComparison.Ordinal);

    private List<TokenEntry> Snapshot()
    {
        lock (_gate)
        {
            return [.. _tokens.Values];
        }
    }

    private TokenEntry Add(TokenEntry token)
    {
        lock (_gate)
        {
            _tokens.Add(token.Id, token);
        }

        return token;
    }
}
