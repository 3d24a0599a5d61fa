using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.OpenBao;

namespace OpenBao.Csi.Provider.Renewal;

/// <summary>
/// Ends tokens the provider no longer needs with <c>auth/token/revoke-self</c>, which OpenBao's default
/// policy allows and which revokes every lease the token created (<c>sys/leases/revoke</c> is not in
/// the default policy). Revocations run in the background; <see cref="DrainAsync"/> waits for them.
/// </summary>
internal sealed class TokenRevoker(ILogger<TokenRevoker> logger)
{
    private readonly ConcurrentDictionary<Task, byte> _pending = new();

    public int Pending => _pending.Count;

    public void Revoke(CachedToken token, TokenRelease reason)
    {
        var task = RevokeAsync(token, reason);
        _pending.TryAdd(task, 0);
        _ = task.ContinueWith(done => _pending.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public Task DrainAsync(CancellationToken cancellationToken) => Task.WhenAll(_pending.Keys).WaitAsync(cancellationToken);

    private async Task RevokeAsync(CachedToken token, TokenRelease reason)
    {
        var key = token.Key;
        try
        {
            await token.Client.RevokeSelfAsync(token.Token.ClientToken, CancellationToken.None).ConfigureAwait(false);
            Log.TokenRevoked(logger, key.Role, key.PodNamespace, key.PodName, reason);
        }
        catch (OpenBaoException ex) when (ex.IsTokenRefused)
        {
            // Already expired or revoked: its leases are gone with it.
            Log.TokenAlreadyGone(logger, key.Role, key.PodNamespace, key.PodName);
        }
        catch (Exception ex) when (ex is OpenBaoException or OpenBaoUnavailableException)
        {
            Log.TokenRevocationFailed(logger, key.Role, key.PodNamespace, key.PodName, ex.Message);
        }
    }
}
