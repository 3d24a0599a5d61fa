using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.Fetching;

namespace OpenBao.Csi.Provider.Renewal;

/// <summary>
/// The background pass that keeps credentials alive between polls: renew tokens, renew leases, and
/// (without a pod watch) release what no mount has asked for in a while. It runs on the injected
/// clock and never lets a failure end the process.
/// </summary>
internal sealed class RenewalService(
    TokenRenewer tokenRenewer,
    LeaseRenewer leaseRenewer,
    TokenCache tokens,
    TokenRevoker revoker,
    RenewalSettings settings,
    TimeProvider time,
    ILogger<RenewalService> logger) : BackgroundService
{
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await tokenRenewer.RenewDueAsync(cancellationToken).ConfigureAwait(false);
            await leaseRenewer.RenewDueAsync(cancellationToken).ConfigureAwait(false);
            ReleaseIdle();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception ex)
        {
            Log.RenewalPassFailed(logger, ex.GetType().Name, ex.Message);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Revocations already under way finish; nothing new is revoked on shutdown, pods keep their credentials.
            await revoker.DrainAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Log.RevocationsAbandoned(logger, revoker.Pending);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.Interval == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(settings.Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await RunOnceAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private void ReleaseIdle()
    {
        var cutoff = time.GetUtcNow() - settings.IdleTimeout;
        // With a pod watch, only tokens of mounts that named no pod UID depend on idleness.
        var released = tokens.Release(token => (!settings.PodWatch || token.Key.PodUid is null) && token.LastUsed < cutoff, TokenRelease.Idle);
        if (released > 0)
        {
            Log.IdleReleased(logger, released, settings.IdleTimeout);
        }
    }
}
