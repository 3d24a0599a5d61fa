using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.OpenBao;
using OpenBao.Csi.Provider.Metrics;

namespace OpenBao.Csi.Provider.Renewal;

/// <summary>
/// Ends tokens the provider no longer needs with <c>auth/token/revoke-self</c>, which OpenBao's default
/// policy allows and which revokes every lease the token created (<c>sys/leases/revoke</c> is not in
/// the default policy). Revocations run in the background; <see cref="DrainAsync"/> waits for them.
/// </summary>
internal sealed class TokenRevoker(ProviderMetrics metrics, ILogger<TokenRevoker> logger)
{
    private readonly ConcurrentDictionary<Task, byte> _pending = new();

    public int Pending => _pending.Count;

    /// <param name="keptLeases">Kept secrets whose leases end with the token, counted once it is revoked.</param>
    public void Revoke(CachedToken token, TokenRelease reason, int keptLeases)
    {
        var task = RevokeAsync(token, reason, keptLeases);
        _pending.TryAdd(task, 0);
        _ = task.ContinueWith(done => _pending.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public Task DrainAsync(CancellationToken cancellationToken) => Task.WhenAll(_pending.Keys).WaitAsync(cancellationToken);

    private async Task RevokeAsync(CachedToken token, TokenRelease reason, int keptLeases)
    {
        var key = token.Key;
        try
        {
            await token.Client.RevokeSelfAsync(token.Token.ClientToken, CancellationToken.None).ConfigureAwait(false);
            metrics.Token(TokenOutcome.Revoked);
            metrics.Lease(LeaseOutcome.Revoked, keptLeases);
            Log.TokenRevoked(logger, key.Role, key.PodNamespace, key.PodName, reason);
        }
        catch (OpenBaoException ex) when (ex.IsTokenRefused)
        {
            // Already expired or revoked: its leases are gone with it.
            Log.TokenAlreadyGone(logger, key.Role, key.PodNamespace, key.PodName);
        }
        catch (OpenBaoException ex) when (ex.StatusCode == 400 && ex.Errors.Any(error => error.Contains("batch tokens cannot be revoked", StringComparison.Ordinal)))
        {
            // A role with token_type=batch: expected, so not a warning on every pod that goes.
            Log.BatchTokenNotRevocable(logger, key.Role, key.PodNamespace, key.PodName);
        }
        catch (OpenBaoCallException ex)
        {
            Log.TokenRevocationFailed(logger, key.Role, key.PodNamespace, key.PodName, ex.Message);
        }
    }
}
