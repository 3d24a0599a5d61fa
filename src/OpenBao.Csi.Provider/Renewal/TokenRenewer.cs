using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.Internal;
using OpenBao.Csi.Provider.OpenBao;
using OpenBao.Csi.Provider.Metrics;

namespace OpenBao.Csi.Provider.Renewal;

/// <summary>
/// Keeps cached tokens alive with <c>auth/token/renew-self</c> while their pods live, since a token's
/// leases die with it. A token OpenBao will not extend far enough is retired, so the next poll logs
/// in again and re-issues its secrets before it ends.
/// </summary>
internal sealed class TokenRenewer(TokenCache tokens, TimeProvider time, ProviderMetrics metrics, ILogger<TokenRenewer> logger)
{
    private readonly SingleFlight<CachedToken, bool> _renewals = new();

    public async Task RenewDueAsync(CancellationToken cancellationToken)
    {
        var due = tokens.Snapshot().Where(token => token.IsRenewalDue(time.GetUtcNow(), tokens.RenewFraction)).ToList();
        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (token, cancel) => await _renewals.RunAsync(token, () => RenewAsync(token), cancel).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private async Task<bool> RenewAsync(CachedToken token)
    {
        var key = token.Key;
        if (!token.IsRenewalDue(time.GetUtcNow(), tokens.RenewFraction))
        {
            return true;
        }

        try
        {
            var grant = await token.Client.RenewSelfAsync(token.Token.ClientToken, token.Token.Ttl, CancellationToken.None).ConfigureAwait(false);
            if (token.Renewed(time.GetUtcNow(), grant, token.Token.Ttl))
            {
                metrics.Token(TokenOutcome.Renewed);
                Log.TokenRenewed(logger, key.Role, key.PodNamespace, key.PodName, grant.Ttl);
                return true;
            }

            Log.TokenCapped(logger, key.Role, key.PodNamespace, key.PodName, grant.Ttl);
        }
        catch (OpenBaoException ex) when (ex.IsTokenRefused)
        {
            tokens.Invalidate(token);
            Log.TokenRenewalRefused(logger, key.Role, key.PodNamespace, key.PodName, ex.Message);
        }
        catch (OpenBaoException ex) when (ex.StatusCode == 400 || ex.RefusesRenewalForGood)
        {
            // OpenBao will never extend it (some of these come as 500s): retrying until it dies would only load
            // OpenBao, so the next mount logs in again while this one still lives.
            token.Retire();
            Log.TokenRenewalRefused(logger, key.Role, key.PodNamespace, key.PodName, ex.Message);
        }
        catch (OpenBaoCallException ex)
        {
            Log.TokenRenewalFailed(logger, key.Role, key.PodNamespace, key.PodName, ex.Message);
        }

        return false;
    }
}
