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
            samples.Add(await TimeStartAsync(environment, $"start-{i}"));
        }

        return samples;
    }

    /// <summary>One start of <paramref name="binary"/> (this environment's build unless named) on <c>{name}.sock</c>, in milliseconds.</summary>
    public static async Task<double> TimeStartAsync(DemoEnvironment environment, string name, string? binary = null)
    {
        var started = Stopwatch.GetTimestamp();
        await using var provider = environment.StartProvider(name, binary);
        await provider.WaitUntilServingAsync();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}
