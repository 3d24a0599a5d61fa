using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.Metrics;

namespace OpenBao.Csi.Provider.KubernetesApi;

/// <summary>
/// Watches the pods of this node (list, then watch from the list's resourceVersion, restricted by
/// <c>spec.nodeName</c>) and releases the OpenBao tokens of pods that are deleted or finished, which
/// revokes them and their leases. A dropped or silent watch resumes from the last resourceVersion it saw,
/// as client-go's reflector does, so the API server answers from its watch cache; a watch the server refuses or
/// ends with an error (a resourceVersion it cannot serve), or one that keeps failing, costs a fresh list, which
/// treats pods that vanished meanwhile as deleted.
/// </summary>
internal sealed class NodePodWatcher(
    KubernetesApiClient kubernetes,
    string nodeName,
    TokenCache tokens,
    RunningPods runningPods,
    TimeProvider time,
    ProviderMetrics metrics,
    ILogger<NodePodWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>How long past its timeoutSeconds a watch may stay open before its connection is taken as dead.</summary>
    public static readonly TimeSpan DeadWatchMargin = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The API server sends a bookmark about every minute (since Kubernetes 1.19) once anything in the cluster
    /// has changed: a watch silent for three is on a connection that died without a reset (the API server's
    /// node lost, a NAT or load balancer that forgot it), or in a cluster where nothing changes, where
    /// resuming it costs the server little.
    /// </summary>
    public static readonly TimeSpan SilenceLimit = TimeSpan.FromMinutes(3);

    /// <summary>As client-go's reflector: a watch that ends this soon without an event is a failure, not a routine end.</summary>
    private static readonly TimeSpan ShortestWatch = TimeSpan.FromSeconds(1);

    /// <summary>Failures without an event since the last list after which the watch lists again rather than resuming.</summary>
    private const int RelistAfterFailures = 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? resourceVersion = null;
        // The backoff grows until an event arrives; the count toward a list starts again after each list, so a
        // cluster where nothing changes lists once per three silent watches, not after every one.
        var failures = 0;
        var failuresSinceList = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    resourceVersion = await RelistAsync(stoppingToken).ConfigureAwait(false);
                    failuresSinceList = 0;
                }

                await WatchAsync(
                    resourceVersion,
                    seen =>
                    {
                        resourceVersion = seen ?? resourceVersion;
                        failures = 0;
                        failuresSinceList = 0;
                    },
                    stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                failuresSinceList++;
                var silent = ex is SilentWatchException;
                var expired = ServerStatus(ex) == 410;
                // Resuming replays what happened while the watch was down, unless the server cannot serve that
                // resourceVersion, or resuming keeps failing (a proxy that holds the stream back, say): then the next
                // list finds it.
                if (MustRelist(ex) || failuresSinceList >= RelistAfterFailures)
                {
                    resourceVersion = null;
                }

                var backoff = Backoff(failures);
                var next = resourceVersion is null ? "listing again" : "resuming the watch";
                metrics.PodWatchInterrupted(
                    silent ? PodWatchInterruption.Silent : expired ? PodWatchInterruption.Expired : PodWatchInterruption.Failed, relist: resourceVersion is null);
                if (silent)
                {
                    Log.PodWatchSilent(logger, nodeName, SilenceLimit, next, backoff);
                }
                else
                {
                    Log.PodWatchFailed(logger, nodeName, ex.Message, next, backoff);
                }

                try
                {
                    await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// The first retry is immediate (a dropped connection is routine); then 1 s, 2 s, … up to 30 s, each up to
    /// twice as long at random so that the nodes an API server restart cut off do not all come back at once.
    /// </summary>
    private static TimeSpan Backoff(int failures) =>
        failures <= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, failures - 2) * (1 + Random.Shared.NextDouble())));

    /// <summary>
    /// As client-go's reflector: a watch the API server refused or ended with an error is followed by a list, unless
    /// the server asked to slow down (429) or failed internally (500), where the same resourceVersion is asked again.
    /// A resourceVersion too old (410 Expired) or too new (504 ResourceVersionTooLarge: the list came from another API
    /// server whose watch cache lags) would only be refused again.
    /// </summary>
    private static bool MustRelist(Exception exception) => ServerStatus(exception) is { } code and not (429 or 500);

    /// <summary>The HTTP status that refused the watch, or the code of the ERROR event that ended it; null for transport failures.</summary>
    private static int? ServerStatus(Exception exception) => exception switch
    {
        PodWatchEndedException ended => ended.Code,
        HttpRequestException { InnerException: KubernetesApiException refused } => (int)refused.StatusCode,
        _ => null,
    };

    private async Task<string> RelistAsync(CancellationToken cancellationToken)
    {
        // Only tokens that existed before the list began can be judged by it: a newer one may belong to a pod created since.
        var judged = CachedToken.LatestGeneration;
        var list = await kubernetes.SendAsync(
            HttpMethod.Get, $"api/v1/pods?fieldSelector={Uri.EscapeDataString(FieldSelector)}", KubernetesJsonContext.Default.PodList, cancellationToken).ConfigureAwait(false);
        var running = (list.Items ?? [])
            .Where(pod => !IsFinished(pod.Status?.Phase))
            .Select(pod => pod.Metadata?.Uid)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        runningPods.ReplaceWith((list.Items ?? []).Where(pod => pod.Status?.Phase == "Running").Select(pod => pod.Metadata?.Uid).OfType<string>());
        var released = tokens.Release(
            token => token.Generation <= judged && token.Key.PodUid is { } uid && !running.Contains(uid),
            TokenRelease.PodGone);
        Log.PodsListed(logger, nodeName, running.Count, released);
        return list.Metadata?.ResourceVersion ?? throw new InvalidOperationException("the pod list carried no resourceVersion");
    }

    /// <param name="onEvent">Called with each event's resourceVersion (null when it carried none), where a watch resumes.</param>
    private async Task WatchAsync(string resourceVersion, Action<string?> onEvent, CancellationToken cancellationToken)
    {
        // Servers end watches after timeoutSeconds; a spread keeps many nodes from reconnecting at once.
        var timeoutSeconds = 300 + Random.Shared.Next(300);
        var query = $"api/v1/pods?watch=true&allowWatchBookmarks=true&fieldSelector={Uri.EscapeDataString(FieldSelector)}" +
            $"&resourceVersion={Uri.EscapeDataString(resourceVersion)}&timeoutSeconds={timeoutSeconds}";
        // A connection that died without a reset is silent, not closed: without deadlines the watch would wait
        // on it forever while deleted pods keep their tokens and leases.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds) + DeadWatchMargin, time);
        using var silence = new CancellationTokenSource(SilenceLimit, time);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token, silence.Token);
        var opened = time.GetTimestamp();
        var events = 0;
        try
        {
            using var response = await kubernetes.WatchAsync(query, watching.Token).ConfigureAwait(false);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(watching.Token).ConfigureAwait(false));
            while (await reader.ReadLineAsync(watching.Token).ConfigureAwait(false) is { } line)
            {
                silence.CancelAfter(SilenceLimit);
                if (line.Length == 0)
                {
                    continue;
                }

                onEvent(Handle(line));
                events++;
            }
        }
        catch (KubernetesApiException ex)
        {
            throw new HttpRequestException($"watch of pods on node {nodeName} answered HTTP {(int)ex.StatusCode}: {ex.Message}", ex);
        }
        catch (OperationCanceledException) when (silence.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new SilentWatchException();
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"the watch of pods on node {nodeName} was still open {DeadWatchMargin.TotalSeconds:0} s after the API server should have ended it ({timeoutSeconds} s); taking its connection as dead");
        }

        // A server or proxy that answers a watch with an empty body would otherwise be asked again at once, forever.
        if (events == 0 && time.GetElapsedTime(opened) < ShortestWatch)
        {
            throw new HttpRequestException($"the watch of pods on node {nodeName} ended at once without an event");
        }
    }

    /// <summary>No event or bookmark within <see cref="SilenceLimit"/>.</summary>
    private sealed class SilentWatchException : TimeoutException;

    /// <returns>The event's resourceVersion, or null when it carried none.</returns>
    private string? Handle(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var type = root.GetProperty("type").GetString();
        var item = root.GetProperty("object");
        if (type == "ERROR")
        {
            var code = item.TryGetProperty("code", out var c) && c.TryGetInt32(out var number) ? number : 0;
            var message = item.TryGetProperty("message", out var m) ? m.GetString() : null;
            throw new PodWatchEndedException(
                code == 410 ? $"the watch expired ({message})" : $"the watch ended with an error (code {code}: {message})",
                code);
        }

        var metadata = item.TryGetProperty("metadata", out var meta) ? meta : default;
        var version = String(metadata, "resourceVersion");
        if (type == "BOOKMARK")
        {
            Log.PodWatchBookmark(logger, nodeName, version);
            return version;
        }

        var phase = item.TryGetProperty("status", out var status) ? String(status, "phase") : null;
        if (type is "ADDED" or "MODIFIED" or "DELETED" && String(metadata, "uid") is { } pod)
        {
            runningPods.Set(pod, type != "DELETED" && phase == "Running");
        }

        if (type == "DELETED" || (type is "ADDED" or "MODIFIED" && IsFinished(phase)))
        {
            if (String(metadata, "uid") is { } uid)
            {
                var released = tokens.Release(token => token.Key.PodUid == uid, TokenRelease.PodGone);
                if (released > 0)
                {
                    Log.PodGone(logger, String(metadata, "namespace") ?? "", String(metadata, "name") ?? "", type == "DELETED" ? "deleted" : $"phase {phase}", released);
                }
            }
        }

        return version;
    }

    private string FieldSelector => $"spec.nodeName={nodeName}";

    /// <summary>A pod that succeeded or failed will not run again: its volumes are torn down, its credentials can go.</summary>
    private static bool IsFinished(string? phase) => phase is "Succeeded" or "Failed";

    private static string? String(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
