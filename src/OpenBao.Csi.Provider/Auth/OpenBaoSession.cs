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
    public async Task<JsonElement> SendAsync(OpenBaoRequest request, CancellationToken cancellationToken)
    {
        var token = await cache.GetAsync(key, login, cancellationToken).ConfigureAwait(false);
        try
        {
            return await client.SendAsync(request, token.ClientToken, cancellationToken).ConfigureAwait(false);
        }
        catch (OpenBaoException ex) when (ex.IsTokenRefused)
        {
            cache.Invalidate(key, token);
            var replacement = await cache.GetAsync(key, login, cancellationToken).ConfigureAwait(false);
            if (ReferenceEquals(replacement, token))
            {
                throw;
            }

            return await client.SendAsync(request, replacement.ClientToken, cancellationToken).ConfigureAwait(false);
        }
    }
}
