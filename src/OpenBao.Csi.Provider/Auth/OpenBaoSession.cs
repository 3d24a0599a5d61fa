using System.Text.Json;
using OpenBao.Csi.Provider.OpenBao;

namespace OpenBao.Csi.Provider.Auth;

/// <summary>
/// One mount's authenticated view of OpenBao. It logs in only when the cache has no usable token,
/// and when OpenBao refuses the token itself (revoked, or expired early) replaces it once and
/// retries once. A policy denial is final: logging in again would only mint another token.
/// </summary>
internal sealed class OpenBaoSession(
    OpenBaoClient client,
    TokenCache cache,
    TokenCacheKey key,
    Func<Task<OpenBaoToken>> login)
{
    private volatile bool _obtained;

    /// <summary>Whose token this is: the pod, role, mount, namespace and server.</summary>
    public TokenCacheKey Key => key;

    /// <summary>False with <c>-cache-size=0</c>: nothing may be kept for the next poll.</summary>
    public bool KeepsState => cache.Enabled;

    /// <summary>Whether a token for this pod is at hand, so a slow mount is waiting on a read rather than a login.</summary>
    public bool HasToken => _obtained || cache.Peek(key) is not null;

    public async Task<CachedToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        var token = await cache.GetAsync(key, client, login, cancellationToken).ConfigureAwait(false);
        _obtained = true;
        return token;
    }

    public string DescribeLogin() => $"logging in to OpenBao at {key.Address} (role '{key.Role}' on auth mount '{key.AuthMount}')";

    /// <param name="current">The token the caller just got from this session, if it did: not looked up again.</param>
    /// <returns>The response envelope and the token it was read with (leases die with that token).</returns>
    public async Task<(JsonElement Response, CachedToken Token)> SendAsync(OpenBaoRequest request, CachedToken? current, CancellationToken cancellationToken)
    {
        var token = current ?? await GetTokenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return (await client.SendAsync(request, token.Token.ClientToken, cancellationToken).ConfigureAwait(false), token);
        }
        catch (OpenBaoException ex) when (ex.IsTokenRefused)
        {
            cache.Invalidate(token);
            var replacement = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
            if (ReferenceEquals(replacement, token))
            {
                throw;
            }

            return (await client.SendAsync(request, replacement.Token.ClientToken, cancellationToken).ConfigureAwait(false), replacement);
        }
    }
}
