using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Kubernetes.Emulator;

/// <summary>
/// <c>GET /api/v1/pods?watch=true</c> and <c>GET /api/v1/namespaces/{ns}/pods?watch=true</c>, served like the
/// API server's WatchServer.HandleHTTP: 200 with <c>application/json</c> at once, then one JSON watch
/// event per line, flushed as written, until the timeout ends the chunked body cleanly.
/// </summary>
/// <param name="stopping">Fires when the fake shuts down, which ends every watch cleanly like a server shutdown.</param>
internal sealed class PodWatchEndpoint(ClusterStore store, FakeKubernetesApiOptions options, CancellationToken stopping)
{
    // About 24 days; CancellationTokenSource timers stop at about 49.
    private const long MaxTimeoutSeconds = int.MaxValue / 1000;

    /// <summary>How long the API server's watch cache waits to reach a resourceVersion asked for (the cacher's blockTimeout).</summary>
    public static readonly TimeSpan ResourceVersionWait = TimeSpan.FromSeconds(3);

    /// <returns>
    /// The refusal to write when the watch cannot start (403, 400, 500), or null once the stream has been
    /// served: the 410 Expired of a compacted resourceVersion, and the 504 of one the server has not reached,
    /// are watch events, not HTTP errors.
    /// </returns>
    public async Task<ApiResponse?> ServeAsync(HttpContext context, string? @namespace)
    {
        if (store.IsDenied("watch", "pods", @namespace ?? string.Empty))
        {
            return KubernetesStatus.Forbidden(options.CallerUserName, "watch", "pods", null, @namespace ?? string.Empty, string.Empty);
        }

        var (query, failure) = ListQuery.Parse(context.Request.Query, PodFields.ConvertLabel);
        if (query is null)
        {
            return failure;
        }

        if (store.TryTakeShortWatch())
        {
            await StartAsync(context.Response, context.RequestAborted).ConfigureAwait(false);
            return null;
        }

        var (from, invalid) = ResourceVersions.Parse(query.ResourceVersion);
        if (invalid is not null)
        {
            return invalid;
        }

        // Past what this server has seen: the watch cache waits for it a while, then ends the watch with an ERROR
        // event (once a request is valid, its failures are watch events, not HTTP errors).
        var wanted = from > long.MaxValue ? long.MaxValue : (long)from;
        if (!await store.WaitForPodWatchResourceVersionAsync(wanted, ResourceVersionWait, options.TimeProvider, context.RequestAborted).ConfigureAwait(false))
        {
            await StartAsync(context.Response, context.RequestAborted).ConfigureAwait(false);
            await EndWithErrorAsync(context.Response, KubernetesStatus.TooLargeResourceVersion(from, store.CurrentResourceVersion), context.RequestAborted).ConfigureAwait(false);
            return null;
        }

        // timeoutSeconds=0 means none (a real server then picks 30 to 60 minutes), and so does one beyond what
        // a timer can hold; a negative one has already passed, so the stream ends right after its headers.
        var opening = options.TimeProvider.GetUtcNow();
        var deadline = query.TimeoutSeconds is { } seconds and not 0 and <= MaxTimeoutSeconds
            ? opening.AddSeconds(Math.Max(seconds, 0))
            : (DateTimeOffset?)null;
        using var timeout = deadline is { } end
            ? new CancellationTokenSource(end - opening, options.TimeProvider)
            : new CancellationTokenSource();
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping, context.RequestAborted);

        var watch = new PodWatch(@namespace, query.FieldSelector, query.AllowWatchBookmarks, context.Abort);

        // Unset goes to etcd and "0" to the watch cache; both begin with the current state as ADDED events.
        var opened = store.TryOpenPodWatch(watch, from == 0 ? null : from, out var compacted);

        // Armed before the headers go out, so a client that has them can count on the clock from then.
        using var bookmarks = opened && query.AllowWatchBookmarks
            ? new PodWatchBookmarks(store, watch, options.TimeProvider, deadline)
            : null;
        try
        {
            // The headers go out whatever the timeout, as WriteHeader does before the API server's loop.
            await StartAsync(context.Response, context.RequestAborted).ConfigureAwait(false);
            if (!opened)
            {
                await EndWithErrorAsync(context.Response, KubernetesStatus.Expired($"too old resource version: {from} ({compacted})"), context.RequestAborted).ConfigureAwait(false);
                return null;
            }

            using var delivering = CancellationTokenSource.CreateLinkedTokenSource(ending.Token, watch.Silenced);
            var events = watch.Events;
            while (await events.WaitToReadAsync(delivering.Token).ConfigureAwait(false))
            {
                while (events.TryRead(out var next))
                {
                    var json = next.Pod is null ? PodJson.Bookmark(next.ResourceVersion) : PodJson.Object(next.Pod);
                    await WriteEventAsync(context.Response, next.Type, json, delivering.Token).ConfigureAwait(false);
                }

                // Like the API server, flush once the queue is drained rather than after every event.
                await context.Response.Body.FlushAsync(delivering.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (watch.Silenced.IsCancellationRequested && !stopping.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            // A dead connection: nothing more reaches the client, not even the end of the body at the timeout,
            // until the client gives up on it or the fake shuts down.
            var gone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (stopping.Register(() => gone.TrySetResult()))
            using (context.RequestAborted.Register(() => gone.TrySetResult()))
            {
                await gone.Task.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested)
        {
            // Timeout or shutdown: returning ends the chunked body cleanly. A vanished client needs nothing.
        }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away, or DropWatches aborted the connection, mid-write.
        }
        finally
        {
            if (opened)
            {
                store.ClosePodWatch(watch);
            }
        }

        return null;
    }

    private static async Task StartAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        // No Content-Length, so Kestrel frames the body with Transfer-Encoding: chunked.
        response.StatusCode = 200;
        response.ContentType = "application/json";
        await response.StartAsync(cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The one ERROR event, carrying the Status, that ends a watch the server cannot serve.</summary>
    private static async Task EndWithErrorAsync(HttpResponse response, ApiResponse status, CancellationToken cancellationToken)
    {
        await WriteEventAsync(response, "ERROR", status.Body, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The JSON stream serializer writes each metav1.WatchEvent followed by a newline.</summary>
    private static async Task WriteEventAsync(HttpResponse response, string type, JsonObject json, CancellationToken cancellationToken)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = json }.ToJsonString(KubernetesJson.Options) + "\n";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), cancellationToken).ConfigureAwait(false);
    }
}
