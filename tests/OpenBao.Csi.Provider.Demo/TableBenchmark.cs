using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using OpenBao.Csi.Provider.V1Alpha1;
using static System.FormattableString;

namespace OpenBao.Csi.Provider.Demo;

/// <summary>
/// Every number the benchmark issue asks for, measured in one run against one emulator and one
/// provider build, printed as one table (aligned text, then Markdown). Each area has its own class;
/// this one only orders them and formats the results.
/// </summary>
internal static class TableBenchmark
{
    // A start is some 30-80 ms and moves with the machine's load: a median of 5 moved by tens of milliseconds between runs.
    private const int Starts = 21;
    private const int ThroughputPods = 256;
    private const int RotationPods = 100;
    private const int RotationPolls = 5;

    private static readonly int[] ObjectCounts = [1, 10];
    private static readonly TimeSpan[] OpenBaoLatencies = [TimeSpan.Zero, TimeSpan.FromMilliseconds(2)];
    private static readonly int[] Concurrencies = [1, 8, 64];
    private static readonly TimeSpan ThroughputDuration = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(TextWriter output, TableOptions options)
    {
        var run = Stopwatch.StartNew();
        var table = new ResultTable();
        table.Note("date", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        table.Note("machine", Invariant($"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.OSArchitecture}; load average {ProcFs.LoadAverage()} at start"));

        await using var environment = await DemoEnvironment.StartAsync(options.Binary);
        BenchmarkSecrets.Seed(environment.Bao);
        var version = await environment.Client.VersionAsync(new VersionRequest { Version = "v1alpha1" });
        var kind = ProcFs.MapsCoreClr(environment.Provider.Id) ? "JIT (CoreCLR loaded)" : "NativeAOT (no CoreCLR loaded)";
        table.Note("provider", $"{environment.Binary}: {kind}, {version.RuntimeName} {version.RuntimeVersion}");
        Describe(table, options);

        var fewMounts = await MountAFewAsync(environment);
        var idle = await MemoryBenchmark.IdleAsync(environment.MainProvider);
        var startup = await StartupBenchmark.MeasureAsync(environment, Starts);

        var latencies = new List<LatencyResult>();
        await using (var remote = await OpenBaoProcess.StartAsync())
        {
            await using var provider = await environment.StartSettledProviderAsync("latency", remote);
            using var remoteDirect = await remote.DirectAsync();
            foreach (var latency in OpenBaoLatencies)
            {
                foreach (var objects in ObjectCounts)
                {
                    latencies.Add(await LatencyBenchmark.MeasureAsync(provider, remote, remoteDirect, objects, latency, options.Iterations));
                }
            }
        }

        var throughputBenchmark = await ThroughputBenchmark.StartPodsAsync(environment, ThroughputPods);
        var throughputs = new List<ThroughputResult>();
        foreach (var concurrency in Concurrencies)
        {
            throughputs.Add(await throughputBenchmark.MeasureAsync(concurrency, ThroughputDuration));
        }

        var burst = await MemoryBenchmark.BurstAsync(environment);
        // Reissue first: the reuse pods' leases stay kept, and their background renewals would be counted against it.
        var reissue = await RotationBenchmark.MeasureAsync(environment, RotationPods, RotationPolls, reissue: true, countPodStart: false);
        var reuse = await RotationBenchmark.MeasureAsync(environment, RotationPods, RotationPolls, reissue: false, countPodStart: false);

        table.Row("Start to serving", Milliseconds(startup.Median), Invariant($"median of {startup.Count} starts (min {startup.Min:0}, max {startup.Max:0})"));
        MemoryRows(table, "RSS idle", idle, Invariant($"after start and {fewMounts} mounts, once the start-up release has run"));
        foreach (var result in latencies)
        {
            foreach (var (name, fraction) in new[] { ("p50", 0.5), ("p99", 0.99) })
            {
                table.Row(
                    Invariant($"Mount, {result.Objects} object{(result.Objects == 1 ? "" : "s")}, OpenBao +{result.OpenBaoLatency.TotalMilliseconds:0} ms, {name}"),
                    Milliseconds(result.Mount.Percentile(fraction)),
                    Invariant($"{result.Ratio(fraction):0.00}x floor ({Milliseconds(result.Floor.Percentile(fraction))})"));
            }
        }

        foreach (var throughput in throughputs)
        {
            table.Row(
                Invariant($"Throughput, concurrency {throughput.Concurrency}"),
                Invariant($"{throughput.MountsPerSecond:0} mounts/s"),
                Invariant($"provider CPU {throughput.ProviderCpuMillisecondsPerMount:0.00} ms/mount"));
        }

        table.Row("RSS peak under burst (VmHWM)", Mebibytes(burst.Peak), $"fresh process: {Mebibytes(burst.BeforeBurst.Rss)} before the burst, VmHWM {Mebibytes(burst.PeakAfterSettling)} after settling");
        MemoryRows(table, "RSS after burst", burst.Settled, "once the start-up release has run");
        RotationRow(table, "OpenBao requests/pod/poll, lease reuse", reuse);
        RotationRow(table, "OpenBao requests/pod/poll, reissue", reissue);

        table.Note("run", Invariant($"{run.Elapsed.TotalSeconds:0} s; load average {ProcFs.LoadAverage()} at the end"));
        table.WriteText(output);
        output.WriteLine();
        table.WriteMarkdown(output);
        return 0;
    }

    /// <summary>What each measurement means, above the table.</summary>
    private static void Describe(ResultTable table, TableOptions options)
    {
        table.Note("OpenBao", "the emulator, plain HTTP on loopback; KV v2 secrets at distinct paths; for the mount and floor rows in a process of its own (a provider of the same build against it), else in the benchmark's process");
        table.Note("start", "spawn the provider -> first successful Version call on its socket");
        table.Note("RSS", "smaps_rollup Rss, Anonymous, and Rss - Anonymous (mapped files, incl. shared memory: in a JIT build the W^X double mapping of generated code)");
        table.Note("mount", Invariant($"warm: one pod, cached token, current object versions sent (a rotation poll), the request built once outside the timing; {options.Iterations} samples of mount and floor each per row, after {LatencyBenchmark.WarmupRounds} untimed"));
        table.Note("floor", "the same run at the same OpenBao latency, floor and mount samples alternating: one Version gRPC call on the provider's socket + a direct keep-alive HTTP/1.1 GET of the same secret(s) with a token; for 10 objects the 10 GETs at once, as the provider reads them");
        table.Note("throughput", Invariant($"{ThroughputPods} pods x 1 object, warm, as above; OpenBao +0 ms; {ThroughputDuration.TotalSeconds:0} s per row after {ThroughputBenchmark.Warmup.TotalSeconds:0.0} s untimed"));
        table.Note("burst", Invariant($"a fresh provider process; {MemoryBenchmark.BurstPods} pods x {MemoryBenchmark.BurstObjectsPerPod} objects, {MemoryBenchmark.BurstConcurrency} mounts at once: first mounts (login + reads), then one poll round"));
        table.Note("requests/poll", Invariant($"{RotationPods} pods x (2 KV + 1 database object), {RotationPolls} polls 1 s apart after pod start, 6 s database leases; logins + reads + renewals counted at OpenBao"));
    }

    /// <summary>A pod with one object and one with ten, each started and polled once: what "idle after a few mounts" means.</summary>
    private static async Task<int> MountAFewAsync(DemoEnvironment environment)
    {
        foreach (var objects in ObjectCounts)
        {
            var pod = environment.PodMount(BenchmarkSecrets.Objects(BenchmarkSecrets.Paths(objects)));
            var first = await environment.Client.MountAsync(pod.ToRequest());
            await environment.Client.MountAsync(pod.ToRequest(first.ObjectVersion));
        }

        return 2 * ObjectCounts.Length;
    }

    private static void MemoryRows(ResultTable table, string name, ResidentMemory memory, string detail)
    {
        table.Row(name, Mebibytes(memory.Rss), detail);
        table.Row("  anonymous", Mebibytes(memory.Anonymous));
        table.Row("  mapped files", Mebibytes(memory.MappedFiles), $"of which shared memory {Mebibytes(memory.SharedMemory)}");
    }

    private static void RotationRow(ResultTable table, string name, RotationCounts counts)
    {
        double PerPodPoll(int value) => (double)value / (RotationPods * RotationPolls);
        table.Row(
            name,
            Invariant($"{PerPodPoll(counts.Total):0.00}"),
            Invariant($"logins {PerPodPoll(counts.Logins):0.00}, reads {PerPodPoll(counts.Reads):0.00} (new leases {PerPodPoll(counts.NewLeases):0.00}), renewals {PerPodPoll(counts.Renewals):0.00}"));
    }

    /// <summary>Three significant digits or whole milliseconds.</summary>
    private static string Milliseconds(double value) => value switch
    {
        < 10 => Invariant($"{value:0.00} ms"),
        < 100 => Invariant($"{value:0.0} ms"),
        _ => Invariant($"{value:0} ms"),
    };

    private static string Mebibytes(double value) => Invariant($"{value:0.0} MiB");
}
