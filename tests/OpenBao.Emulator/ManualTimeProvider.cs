namespace OpenBao.Emulator;

/// <summary>
/// A clock that only moves when told to, for expiring tokens, leases and JWTs on demand.
/// Only <see cref="GetUtcNow"/> is manual; timers and timestamps still follow the wall clock.
/// </summary>
/// <param name="start">The initial time.</param>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start.ToUniversalTime();

    /// <summary>Starts at the current wall-clock time, truncated to whole seconds like OpenBao's TTL maths.</summary>
    public ManualTimeProvider()
        : this(TruncateToSeconds(System.GetUtcNow()))
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        lock (_gate)
        {
            _now += delta;
        }
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
