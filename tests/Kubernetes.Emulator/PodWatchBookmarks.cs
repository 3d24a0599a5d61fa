namespace Kubernetes.Emulator;

/// <summary>
/// The watch cache's bookmark heartbeat for one watch that allows bookmarks (cacheWatcher.nextBookmarkTime):
/// a bookmark a minute after the watch opens and every minute after, moved earlier to two seconds before the
/// watch's deadline when that comes first, and none after that one.
/// </summary>
internal sealed class PodWatchBookmarks : IDisposable
{
    // cacher.go's defaultBookmarkFrequency.
    private static readonly TimeSpan Frequency = TimeSpan.FromMinutes(1);

    // nextBookmarkTime aims this far before the deadline, so the client's last bookmark is nearly current.
    private static readonly TimeSpan BeforeDeadline = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly ClusterStore _store;
    private readonly PodWatch _watch;
    private readonly TimeProvider _clock;
    private readonly DateTimeOffset? _deadline;
    private readonly ITimer _timer;
    private bool _disposed;

    /// <param name="deadline">When the watch's timeout ends it, or null when it has none.</param>
    public PodWatchBookmarks(ClusterStore store, PodWatch watch, TimeProvider clock, DateTimeOffset? deadline)
    {
        _store = store;
        _watch = watch;
        _clock = clock;
        _deadline = deadline;
        _timer = clock.CreateTimer(_ => Fire(), state: null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Schedule();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer.Dispose();
        }
    }

    private void Fire()
    {
        _store.SendPodBookmark(_watch);
        Schedule();
    }

    private void Schedule()
    {
        var now = _clock.GetUtcNow();
        var next = now + Frequency;
        if (_deadline - BeforeDeadline is { } beforeDeadline && beforeDeadline < next)
        {
            next = beforeDeadline;
        }

        if (next <= now)
        {
            return;
        }

        // A one-shot timer, re-armed after each bookmark, because the last interval may be shorter.
        lock (_gate)
        {
            if (!_disposed)
            {
                _timer.Change(next - now, Timeout.InfiniteTimeSpan);
            }
        }
    }
}
