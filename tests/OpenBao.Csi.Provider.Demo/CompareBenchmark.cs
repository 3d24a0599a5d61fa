using System.Globalization;
using OpenBao.Csi.Provider.V1Alpha1;
using static System.FormattableString;
using File = System.IO.File;

namespace OpenBao.Csi.Provider.Demo;

/// <summary>
/// Two provider builds side by side against one emulator in its own process: warm one-object mounts on
/// each and the floor, in rotating order within each round, so the machine's drift lands on all three alike.
/// What a change to the provider buys is read from the A/B ratio, which a busy machine moves far
/// less than it moves either build's own figures across runs.
/// </summary>
internal static class CompareBenchmark
{
    private const int Starts = 21;

    private static readonly TimeSpan[] OpenBaoLatencies = [TimeSpan.Zero, TimeSpan.FromMilliseconds(2)];

    /// <param name="args"><c>A B [ITERATIONS]</c>: the two builds (a wrapper script can set environment variables), samples per row.</param>
    public static async Task<int> RunAsync(TextWriter output, IReadOnlyList<string> args)
    {
        var iterations = 2000;
        if (args.Count is < 2 or > 3 || !File.Exists(args[0]) || !File.Exists(args[1])
            || (args.Count == 3 && !(int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) && iterations > 0)))
        {
            await Console.Error.WriteLineAsync("usage: --compare A B [ITERATIONS], where A and B are provider executables (or scripts that exec one)");
            return 2;
        }

        await using var environment = await DemoEnvironment.StartAsync(Path.GetFullPath(args[0]));
        // Mounts and floor against an OpenBao in its own process, as LatencyBenchmark measures them.
        await using var bao = await OpenBaoProcess.StartAsync();
        await using var a = await environment.StartSettledProviderAsync("a", bao);
        await using var b = await environment.StartSettledProviderAsync("b", bao, Path.GetFullPath(args[1]));
        using var direct = await bao.DirectAsync();
        var paths = BenchmarkSecrets.Paths(1);
        var pod = await bao.PodMountAsync(BenchmarkSecrets.Objects(paths));
        var version = new VersionRequest { Version = "v1alpha1" };
        // Built once, outside the timing, as in LatencyBenchmark.
        var poll = pod.ToRequest((await a.Client.MountAsync(pod.ToRequest())).ObjectVersion);
        await b.Client.MountAsync(pod.ToRequest());

        output.WriteLine($"A = {args[0]}\nB = {args[1]}");
        var (startA, startB) = (new Samples(), new Samples());
        for (var i = 0; i < Starts; i++)
        {
            foreach (var (samples, name, binary) in i % 2 == 0 ? new[] { (startA, "a", args[0]), (startB, "b", args[1]) } : [(startB, "b", args[1]), (startA, "a", args[0])])
            {
                samples.Add(await StartupBenchmark.TimeStartAsync(environment, $"start-{i}-{name}", Path.GetFullPath(binary)));
            }
        }

        output.WriteLine(Invariant($"start to serving, median of {Starts} (min): A {startA.Median:0.0} ms ({startA.Min:0.0}), B {startB.Median:0.0} ms ({startB.Min:0.0}), B/A {startB.Median / startA.Median:0.000}"));
        output.WriteLine($"{iterations} samples each, one object, warm");
        foreach (var latency in OpenBaoLatencies)
        {
            await bao.SetLatencyAsync(latency);
            var floorRounds = 0;
            Func<Task>[] calls =
            [
                async () =>
                {
                    // Each build serves half the floor's Version calls, so their CPU figures compare like for like.
                    await (floorRounds++ % 2 == 0 ? a.Client : b.Client).VersionAsync(version);
                    await direct.ReadAsync(paths[0]);
                },
                async () => await a.Client.MountAsync(poll),
                async () => await b.Client.MountAsync(poll),
            ];
            await LatencyBenchmark.RotateAsync(LatencyBenchmark.WarmupRounds, [.. calls.Select(call => (new Samples(), call))]);
            var (floor, mountA, mountB) = (new Samples(), new Samples(), new Samples());
            var (cpuA, cpuB) = (ProcFs.CpuTime(a.Process.Id), ProcFs.CpuTime(b.Process.Id));
            await LatencyBenchmark.RotateAsync(iterations, [.. new[] { floor, mountA, mountB }.Zip(calls)]);
            cpuA = ProcFs.CpuTime(a.Process.Id) - cpuA;
            cpuB = ProcFs.CpuTime(b.Process.Id) - cpuB;

            foreach (var (name, fraction) in new[] { ("p50", 0.5), ("p99", 0.99) })
            {
                double Of(Samples s) => s.Percentile(fraction);
                output.WriteLine(Invariant(
                    $"OpenBao +{latency.TotalMilliseconds:0} ms {name}: floor {Of(floor):0.000} ms, A {Of(mountA):0.000} ms ({Of(mountA) / Of(floor):0.00}x), B {Of(mountB):0.000} ms ({Of(mountB) / Of(floor):0.00}x), B/A {Of(mountB) / Of(mountA):0.000}"));
            }

            output.WriteLine(Invariant($"OpenBao +{latency.TotalMilliseconds:0} ms provider CPU per mount (and half a Version call): A {PerMount(cpuA)}, B {PerMount(cpuB)}, B/A {(cpuA > TimeSpan.Zero ? cpuB / cpuA : double.NaN):0.000}"));
        }

        return 0;

        // /proc counts CPU in 10 ms ticks: a short run may not reach one.
        string PerMount(TimeSpan cpu) => cpu > TimeSpan.Zero ? Invariant($"{cpu.TotalMilliseconds * 1000 / iterations:0} µs") : "under 10 ms in all";
    }
}
