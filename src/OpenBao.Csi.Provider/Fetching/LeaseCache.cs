using System.Collections.Concurrent;
using OpenBao.Csi.Provider.Auth;

namespace OpenBao.Csi.Provider.Fetching;

/// <summary>
/// Dynamic secrets kept per token (pod, role, mount, namespace, server) and request. Its size
/// follows the token cache: a token's secrets go when the token goes, and each token keeps at most
/// <paramref name="perTokenLimit"/> requests (a SecretProviderClass that lists more reads the rest on every poll).
/// </summary>
internal sealed class LeaseCache(int perTokenLimit = LeaseCache.DefaultPerTokenLimit)
{
    public const int DefaultPerTokenLimit = 64;

    private readonly ConcurrentDictionary<TokenCacheKey, ConcurrentDictionary<SecretRequestKey, CachedSecret>> _byToken = new();

    public int Count => _byToken.Values.Sum(secrets => secrets.Count);

    /// <summary>
    /// The secret kept for <paramref name="request"/> under this very token. A lease read under a retired token does
    /// not count (it dies with that token); a certificate without a lease passes to the new token, so replacing a
    /// pod's token at its max TTL does not issue a new certificate.
    /// </summary>
    public CachedSecret? Find(CachedToken current, SecretRequestKey request)
    {
        if (!_byToken.TryGetValue(current.Key, out var secrets) || !secrets.TryGetValue(request, out var secret))
        {
            return null;
        }

        return ReferenceEquals(secret.IssuedWith, current) ? secret
            : secret.OutlivesToken ? HandOver(secret, current)
            : null;
    }

    /// <summary>Gives a certificate kept under a retired token to the pod's current one.</summary>
    /// <returns>What is kept for the request now: the handed-over certificate, or whatever replaced it meanwhile.</returns>
    public CachedSecret? HandOver(CachedSecret secret, CachedToken current)
    {
        if (!_byToken.TryGetValue(current.Key, out var secrets))
        {
            return null;
        }

        var adopted = secret.AdoptedBy(current);
        return secrets.TryUpdate(secret.Request, adopted, secret) ? adopted
            : secrets.TryGetValue(secret.Request, out var now) && ReferenceEquals(now.IssuedWith, current) ? now
            : null;
    }

    /// <summary>Drops this very secret, not one stored in its place meanwhile.</summary>
    public void Forget(CachedSecret secret)
    {
        if (_byToken.TryGetValue(secret.IssuedWith.Key, out var secrets))
        {
            secrets.TryRemove(new KeyValuePair<SecretRequestKey, CachedSecret>(secret.Request, secret));
        }
    }

    public void Store(CachedSecret secret)
    {
        var secrets = _byToken.GetOrAdd(secret.IssuedWith.Key, static _ => new ConcurrentDictionary<SecretRequestKey, CachedSecret>());
        if (secrets.Count >= perTokenLimit && !secrets.ContainsKey(secret.Request))
        {
            return;
        }

        secrets[secret.Request] = secret;
    }

    public void Forget(TokenCacheKey token, SecretRequestKey request)
    {
        if (_byToken.TryGetValue(token, out var secrets))
        {
            secrets.TryRemove(request, out _);
        }
    }

    /// <summary>Drops what <paramref name="token"/> holds; secrets a newer token of the same key stored stay.</summary>
    /// <returns>How many secrets were dropped.</returns>
    public int ForgetAll(CachedToken token)
    {
        if (!_byToken.TryGetValue(token.Key, out var secrets))
        {
            return 0;
        }

        var dropped = 0;
        foreach (var secret in secrets.Values.Where(secret => ReferenceEquals(secret.IssuedWith, token)))
        {
            if (secrets.TryRemove(new KeyValuePair<SecretRequestKey, CachedSecret>(secret.Request, secret)))
            {
                dropped++;
            }
        }

        if (secrets.IsEmpty)
        {
            _byToken.TryRemove(new KeyValuePair<TokenCacheKey, ConcurrentDictionary<SecretRequestKey, CachedSecret>>(token.Key, secrets));
        }

        return dropped;
    }

    public IReadOnlyList<CachedSecret> Snapshot() => [.. _byToken.Values.SelectMany(secrets => secrets.Values)];
}
