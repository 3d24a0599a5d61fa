using OpenBao.Csi.Provider.V1Alpha1;

namespace OpenBao.Csi.Provider.Demo;

/// <summary>
/// Warm mount latency (a rotation poll: cached token, current object versions sent) of one pod whose
/// objects are KV v2 secrets at distinct paths, against a floor measured in the same run at the same
/// OpenBao latency: one <c>Version</c> call on the same socket (the driver's round trip to the
/// provider) plus direct keep-alive GETs of the same secrets, issued at once as the provider issues
/// them. Floor and mount samples alternate, and which goes first alternates too, so drift from the
/// machine or the runtime's tiering lands on both.
/// </summary>
internal static class LatencyBenchmark
{
    public const int WarmupPairs = 50;

    public static async Task<LatencyResult> MeasureAsync(DemoEnvironment environment, DirectOpenBao direct, int objects, TimeSpan openBaoLatency, int iterations)
    {
        var paths = BenchmarkSecrets.Paths(objects);
        var pod = environment.PodMount(BenchmarkSecrets.Objects(paths));
        environment.Bao.Latency = openBaoLatency;
        try
        {
            var current = (await environment.Client.MountAsync(pod.ToRequest())).ObjectVersion;
            var version = new VersionRequest { Version = "v1alpha1" };

            async Task Floor()
            {
                await environment.Client.VersionAsync(version);
                await Task.WhenAll(paths.Select(direct.ReadAsync));
            }

            async Task Mount() => await environment.Client.MountAsync(pod.ToRequest(current));

            await AlternateAsync(WarmupPairs, new Samples(), Floor, new Samples(), Mount);
            var floor = new Samples();
            var mount = new Samples();
            await AlternateAsync(iterations, floor, Floor, mount, Mount);
            return new LatencyResult(objects, openBaoLatency, floor, mount);
        }
        finally
        {
            environment.Bao.Latency = TimeSpan.Zero;
            // The emulator records every request; thousands of polls need not stay in memory.
            environment.Bao.ClearRequests();
        }
    }

    private static async Task AlternateAsync(int pairs, Samples a, Func<Task> callA, Samples b, Func<Task> callB)
    {
        for (var i = 0; i < pairs; i++)
        {
            if (i % 2 == 0)
            {
                await a.TimeAsync(callA);
                await b.TimeAsync(callB);
            }
            else
            {
                await b.TimeAsync(callB);
                await a.TimeAsync(callA);
            }
        }
    }
}
