using System.Diagnostics;
using OpenBao.Csi.Provider.V1Alpha1;

namespace OpenBao.Csi.Provider.Demo;

/// <summary>
/// Warm mounts per second with a given number of calls in flight, over many pods with one KV object
/// each, as the driver's rotation sweep polls a busy node. The provider's CPU time per mount is
/// reported too: on a machine shared with the load generator and the emulator it is the number that
/// depends least on who else runs.
/// </summary>
internal sealed class ThroughputBenchmark
{
    public static readonly TimeSpan Warmup = TimeSpan.FromMilliseconds(500);

    private readonly DemoEnvironment _environment;
    private readonly IReadOnlyList<MountRequest> _polls;

    private ThroughputBenchmark(DemoEnvironment environment, IReadOnlyList<MountRequest> polls)
    {
        _environment = environment;
        _polls = polls;
    }

    /// <summary>
    /// Starts <paramref name="podCount"/> pods (login and first read each), so every measured mount has a
    /// warm token. A count that is a multiple of every concurrency measured keeps workers from sharing a pod.
    /// Each pod's poll is built here, as in LatencyBenchmark: the driver's work, not timed.
    /// </summary>
    public static async Task<ThroughputBenchmark> StartPodsAsync(DemoEnvironment environment, int podCount)
    {
        var paths = BenchmarkSecrets.Paths(BenchmarkSecrets.Count);
        var pods = Enumerable.Range(0, podCount).Select(i => environment.PodMount(BenchmarkSecrets.Objects([paths[i % paths.Count]]))).ToList();
        var polls = new MountRequest[podCount];
        await Parallel.ForEachAsync(Enumerable.Range(0, podCount), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            polls[i] = pods[i].ToRequest((await environment.Client.MountAsync(pods[i].ToRequest())).ObjectVersion));
        return new ThroughputBenchmark(environment, polls);
    }

    public async Task<ThroughputResult> MeasureAsync(int concurrency, TimeSpan duration)
    {
        await RunAsync(concurrency, Warmup);
        var provider = _environment.Provider.Id;
        var cpuBefore = ProcFs.CpuTime(provider);
        var started = Stopwatch.GetTimestamp();
        var mounts = await RunAsync(concurrency, duration);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = ProcFs.CpuTime(provider) - cpuBefore;
        _environment.Bao.ClearRequests();
        return new ThroughputResult(concurrency, mounts / elapsed.TotalSeconds, cpu.TotalMilliseconds / Math.Max(1, mounts));
    }

    /// <summary>Rotation polls by <paramref name="concurrency"/> workers until <paramref name="duration"/> is over; worker w polls pods w, w + concurrency, …</summary>
    private async Task<int> RunAsync(int concurrency, TimeSpan duration)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var mounts = 0;

        async Task WorkAsync(int worker)
        {
            for (var i = worker; Stopwatch.GetTimestamp() < deadline; i += concurrency)
            {
                await _environment.Client.MountAsync(_polls[i % _polls.Count]);
                Interlocked.Increment(ref mounts);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(WorkAsync));
        return mounts;
    }
}
