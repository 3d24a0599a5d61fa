namespace OpenBao.Csi.Provider.Grpc;

/// <summary>Whether Mount calls are coming in: one-off housekeeping waits for a quiet moment rather than pausing mounts.</summary>
internal sealed class MountActivity(TimeProvider time)
{
    private long _lastArrival;
    private bool _anyArrived;
    private int _inFlight;

    public void Arrived()
    {
        Interlocked.Increment(ref _inFlight);
        Volatile.Write(ref _lastArrival, time.GetTimestamp());
        Volatile.Write(ref _anyArrived, true);
    }

    public void Answered() => Interlocked.Decrement(ref _inFlight);

    /// <summary>No Mount in flight, and none arrived within <paramref name="span"/>.</summary>
    public bool QuietFor(TimeSpan span) =>
        Volatile.Read(ref _inFlight) == 0 && (!Volatile.Read(ref _anyArrived) || time.GetElapsedTime(Volatile.Read(ref _lastArrival)) >= span);
}
