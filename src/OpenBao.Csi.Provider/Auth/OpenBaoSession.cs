using System.Text.Json;
using OpenBao.Csi.Provider.OpenBao;

namespace OpenBao.Csi.Provider.Auth;

/// <summary>
/// One mount's authenticated view of OpenBao. It logs in only when the cache has no usable token,
/// and on a 403 replaces the token once and retries once (the token may have been revoked or expired early).
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
        catch (OpenBaoException ex) when (ex.IsPermissionDenied)
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
