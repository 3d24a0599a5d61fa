namespace OpenBao.Emulator.Internal.Http;

/// <summary>Switches a test flips while requests are in flight.</summary>
internal sealed class ServerState
{
    private long _latencyTicks;
    private volatile bool _sealed;

    public bool Sealed
    {
        get => _sealed;
        set => _sealed = value;
    }

    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set => Interlocked.Exchange(ref _latencyTicks, value.Ticks);
    }
}
