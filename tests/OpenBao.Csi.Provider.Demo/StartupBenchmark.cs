using System.Diagnostics;

namespace OpenBao.Csi.Provider.Demo;

/// <summary>
/// Start to serving: from spawning a provider process to its first successful <c>Version</c> call,
/// what a restarted DaemonSet pod costs the driver before it can mount again.
/// </summary>
internal static class StartupBenchmark
{
    public static async Task<Samples> MeasureAsync(DemoEnvironment environment, int starts)
    {
        var samples = new Samples();
        for (var i = 0; i < starts; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await using var provider = environment.StartProvider($"start-{i}");
            await provider.WaitUntilServingAsync();
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return samples;
    }
}
