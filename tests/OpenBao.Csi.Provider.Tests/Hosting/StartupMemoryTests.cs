using Microsoft.Extensions.Time.Testing;
using OpenBao.Csi.Provider.Grpc;
using OpenBao.Csi.Provider.Hosting;

namespace OpenBao.Csi.Provider.Tests.Hosting;

/// <summary>The one-off start-up release waits for a second without mounts, and runs once.</summary>
public sealed class StartupMemoryTests
{
    private readonly FakeTimeProvider _time = new();
    private int _releases;

    [Fact]
    public void Schedule_NoMounts_ReleasesAfterASecondOnce()
    {
        var activity = new MountActivity(_time);
        using var timer = StartupMemory.Schedule(_time, activity, () => _releases++);

        _time.Advance(TimeSpan.FromMilliseconds(999));
        var early = _releases;
        _time.Advance(TimeSpan.FromMilliseconds(1));
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal((0, 1), (early, _releases));
    }

    [Fact]
    public void Schedule_MountsKeepComing_WaitsForASecondOfQuiet()
    {
        var activity = new MountActivity(_time);
        using var timer = StartupMemory.Schedule(_time, activity, () => _releases++);

        activity.Arrived();
        _time.Advance(TimeSpan.FromSeconds(5));
        var whileInFlight = _releases;
        activity.Answered();
        _time.Advance(TimeSpan.FromMilliseconds(500));
        activity.Arrived();
        activity.Answered();
        _time.Advance(TimeSpan.FromMilliseconds(500));
        var halfASecondAfterTheLast = _releases;
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal((0, 0, 1), (whileInFlight, halfASecondAfterTheLast, _releases));
    }
}
