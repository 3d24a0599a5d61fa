using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.Internal;
using OpenBao.Csi.Provider.OpenBao;
using OpenBao.Csi.Provider.Metrics;

namespace OpenBao.Csi.Provider.Fetching;

/// <summary>
/// Renews kept leases with <c>sys/leases/renew</c> under the token that created them, asking for the
/// original duration and believing what OpenBao grants. Polls and the background service share one
/// renewal per lease.
/// </summary>
internal sealed class LeaseRenewer(LeaseCache leases, TokenCache tokens, TimeProvider time, ProviderMetrics metrics, ILogger<LeaseRenewer> logger)
{
    private readonly SingleFlight<CachedSecret, bool> _renewals = new();

    public SecretState Assess(CachedSecret secret) => secret.Assess(time.GetUtcNow(), tokens.RenewFraction);

    /// <returns>True when the secret may still be served; false when it must be re-issued.</returns>
    public Task<bool> RenewAsync(CachedSecret secret, CancellationToken cancellationToken) =>
        _renewals.RunAsync(secret, () => RenewNowAsync(secret), cancellationToken);

    /// <summary>One background pass: renews what is due, and moves or drops secrets whose token was replaced.</summary>
    public async Task RenewDueAsync(CancellationToken cancellationToken)
    {
        var due = new List<CachedSecret>();
        foreach (var secret in leases.Snapshot())
        {
            var current = tokens.Peek(secret.IssuedWith.Key);
            if (!ReferenceEquals(current, secret.IssuedWith))
            {
                if (current is not null && secret.OutlivesToken)
                {
                    // Handed over now, not at the next poll: another volume of the pod may be the next to ask.
                    leases.HandOver(secret, current);
                }
                else
                {
                    // A lease ends with the token that holds it: the next poll re-issues under the new one.
                    leases.Forget(secret);
                }
            }
            else if (Assess(secret) == SecretState.RenewalDue)
            {
                due.Add(secret);
            }
        }

        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (secret, token) => await RenewAsync(secret, token).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>
    /// OpenBao answers 400 both when the lease cannot be renewed (unknown, expired, not renewable) and when the
    /// plugin that issued it failed to extend it (its database unreachable): only the latter carries this prefix,
    /// and it is passing unless the plugin's own reason is final.
    /// </summary>
    private static bool IsBackendFailure(OpenBaoException exception) =>
        exception.StatusCode == 400 && !exception.RefusesRenewalForGood
        && exception.Errors.Any(error => error.StartsWith("failed to renew entry", StringComparison.Ordinal));

    private async Task<bool> RenewNowAsync(CachedSecret secret)
    {
        var state = Assess(secret);
        if (state != SecretState.RenewalDue)
        {
            // Renewed by someone else a moment ago, or past saving.
            return state == SecretState.Fresh;
        }

        var owner = secret.IssuedWith;
        try
        {
            var grant = await owner.Client.RenewLeaseAsync(secret.LeaseId!, secret.Duration, owner.Token.ClientToken, CancellationToken.None).ConfigureAwait(false);
            var kept = secret.Renewed(time.GetUtcNow(), grant);
            if (kept)
            {
                metrics.Lease(LeaseOutcome.Renewed);
                Log.LeaseRenewed(logger, secret.Request.ToString(), owner.Key.PodNamespace, owner.Key.PodName, grant.Ttl);
            }
            else
            {
                Log.LeaseCapped(logger, secret.Request.ToString(), owner.Key.PodNamespace, owner.Key.PodName, grant.Ttl);
            }

            return kept;
        }
        catch (OpenBaoException ex) when (ex.StatusCode is 400 or 403 && !IsBackendFailure(ex))
        {
            // Unknown, expired, not renewable, or no permission: a new credential is the only way forward.
            secret.Exhaust();
            Log.LeaseRenewalRefused(logger, secret.Request.ToString(), owner.Key.PodNamespace, owner.Key.PodName, RefusalReason(ex, secret.LeaseId!));
            return false;
        }
        catch (OpenBaoException ex) when (IsBackendFailure(ex) && secret.IsEnding(time.GetUtcNow(), tokens.RenewFraction))
        {
            // OpenBao answers but the plugin keeps failing to extend the lease: OpenBao may still issue a new
            // credential (vault-secrets-operator re-issues at once), which beats serving this one until it dies.
            secret.Exhaust(stillValid: true);
            Log.LeaseRenewalGivenUp(logger, secret.Request.ToString(), owner.Key.PodNamespace, owner.Key.PodName, ex.Message);
            return false;
        }
        catch (OpenBaoCallException ex)
        {
            // OpenBao, or the plugin behind the lease, is unwell: keep serving what still lives rather than fail
            // the poll, and try again later.
            Log.LeaseRenewalFailed(logger, secret.Request.ToString(), owner.Key.PodNamespace, owner.Key.PodName, ex.Message);
            return secret.IsAlive(time.GetUtcNow());
        }
    }

    /// <summary>
    /// OpenBao renews a lease in the namespace it was issued in, which a suffix of its ID names, and checks the
    /// token's policies there: a lease read through a child namespace's path (<c>team-a/database/creds/x</c>)
    /// is refused unless a policy also grants that namespace's <c>sys/leases/renew</c>, which <c>default</c> does not.
    /// </summary>
    private static string RefusalReason(OpenBaoException refusal, string leaseId) =>
        refusal.StatusCode == 403 && leaseId[(leaseId.LastIndexOf('/') + 1)..].Contains('.', StringComparison.Ordinal)
            ? $"{refusal.Message}; the lease belongs to a child namespace, where OpenBao renews it: the role's policies need update on that namespace's sys/leases/renew (team-a/sys/leases/renew for a secretPath under team-a/)"
            : refusal.Message;
}
