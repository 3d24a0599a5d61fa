using System.Threading.Channels;

namespace Kubernetes.Emulator;

/// <summary>
/// One open pod watch. The store feeds it under its lock, in resourceVersion order; it decides per
/// change what this watcher sees, the way the watch cache's cacheWatcher does, and queues it for the
/// connection to write.
/// </summary>
/// <param name="namespace">Null for a watch across all namespaces.</param>
/// <param name="abortConnection">Drops the HTTP connection without ending the chunked body.</param>
internal sealed class PodWatch(string? @namespace, FieldSelector selector, bool allowBookmarks, Action abortConnection)
{
    private readonly Channel<PodWatchEvent> _events = Channel.CreateUnbounded<PodWatchEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _silence = new();
    private long _startResourceVersion;

    public ChannelReader<PodWatchEvent> Events => _events.Reader;

    /// <summary>Cancelled once this watch's connection goes dead: see <see cref="FakeKubernetesApi.SilenceWatches"/>.</summary>
    public CancellationToken Silenced => _silence.Token;

    public void Silence() => _silence.Cancel();

    /// <summary>
    /// Changes and bookmarks at or below this are not sent: the watch starts after it, whether it came
    /// from the request or, for an initial-state watch, from the state it was given.
    /// </summary>
    public void Start(long resourceVersion) => _startResourceVersion = resourceVersion;

    /// <summary>The synthetic ADDED of an object that existed when the watch started.</summary>
    public void OfferExisting(StoredPod pod)
    {
        if (Selects(pod))
        {
            _events.Writer.TryWrite(new PodWatchEvent("ADDED", pod, pod.ResourceVersion));
        }
    }

    /// <summary>
    /// A pod entering the selector is ADDED, leaving it is DELETED with its last state at the change's
    /// resourceVersion, and staying in it is MODIFIED (cacheWatcher.convertToWatchEvent).
    /// </summary>
    public void Offer(PodChange change)
    {
        if (change.ResourceVersion <= _startResourceVersion)
        {
            return;
        }

        var selectedNow = change.Current is { } current && Selects(current);
        var selectedBefore = change.Previous is { } previous && Selects(previous);
        var sent = (selectedNow, selectedBefore) switch
        {
            (true, false) => new PodWatchEvent("ADDED", change.Current, change.ResourceVersion),
            (true, true) => new PodWatchEvent("MODIFIED", change.Current, change.ResourceVersion),
            (false, true) => new PodWatchEvent("DELETED", change.Previous! with { ResourceVersion = change.ResourceVersion }, change.ResourceVersion),
            _ => null,
        };
        if (sent is not null)
        {
            _events.Writer.TryWrite(sent);
        }
    }

    /// <summary>Bookmarks go only to watches that asked for them, and never back to or before the start.</summary>
    public void OfferBookmark(long resourceVersion)
    {
        if (allowBookmarks && resourceVersion > _startResourceVersion)
        {
            _events.Writer.TryWrite(new PodWatchEvent("BOOKMARK", null, resourceVersion));
        }
    }

    /// <summary>Drops the connection first, so the writer cannot mistake the closed queue for a clean end.</summary>
    public void Abort()
    {
        abortConnection();
        _events.Writer.TryComplete();
    }

    private bool Selects(StoredPod pod) =>
        (@namespace is null || pod.Namespace == @namespace) && selector.Matches(pod);
}
