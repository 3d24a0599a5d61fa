using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace OpenBao.Csi.Provider.Testing;

/// <summary>A fake clock that says when code starts waiting on it, so a test advances it only then.</summary>
internal sealed class WatchedClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    public SemaphoreSlim TimerCreated { get; } = new(0);

    /// <summary>How long each timer created on this clock was set to wait, in creation order.</summary>
    public ConcurrentQueue<TimeSpan> DueTimes { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        DueTimes.Enqueue(dueTime);
        TimerCreated.Release();
        return timer;
    }
}
