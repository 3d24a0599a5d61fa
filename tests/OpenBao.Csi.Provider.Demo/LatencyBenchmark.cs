using OpenBao.Csi.Provider.V1Alpha1;

namespace OpenBao.Csi.Provider.Demo;

/// <summary>
/// Warm mount latency (a rotation poll: cached token, current object versions sent) of one pod whose
/// objects are KV v2 secrets at distinct paths, against a floor measured in the same run at the same
/// OpenBao latency: one <c>Version</c> call on the same socket (the driver's round trip to the
/// provider) plus direct keep-alive GETs of the same secrets, issued at once as the provider issues
/// them, to an OpenBao in a process of its own (<see cref="OpenBaoProcess"/>). Floor and mount samples
/// alternate, and which goes first alternates too, so drift from the machine or the runtime's tiering
/// lands on both.
/// </summary>
internal static class LatencyBenchmark
{
    public const int WarmupRounds = 50;

    /// <param name="provider">A provider serving against <paramref name="bao"/>.</param>
    /// <param name="direct">The floor's reads, logged in to <paramref name="bao"/>.</param>
    public static async Task<LatencyResult> MeasureAsync(ProviderProcess provider, OpenBaoProcess bao, DirectOpenBao direct, int objects, TimeSpan openBaoLatency, int iterations)
    {
        var paths = BenchmarkSecrets.Paths(objects);
        var pod = await bao.PodMountAsync(BenchmarkSecrets.Objects(paths));
        await bao.SetLatencyAsync(openBaoLatency);
        try
        {
            // Built once, outside the timing: a poll's request is the driver's work, and it sends the same one every poll.
            var poll = pod.ToRequest((await provider.Client.MountAsync(pod.ToRequest())).ObjectVersion);
            var version = new VersionRequest { Version = "v1alpha1" };

            async Task Floor()
            {
                await provider.Client.VersionAsync(version);
                await Task.WhenAll(paths.Select(direct.ReadAsync));
            }

            async Task Mount() => await provider.Client.MountAsync(poll);

            await RotateAsync(WarmupRounds, [(new Samples(), Floor), (new Samples(), Mount)]);
            var floor = new Samples();
            var mount = new Samples();
            await RotateAsync(iterations, [(floor, Floor), (mount, Mount)]);
            return new LatencyResult(objects, openBaoLatency, floor, mount);
        }
        finally
        {
            await bao.SetLatencyAsync(TimeSpan.Zero);
        }
    }

    /// <summary>
    /// Times every call once per round, each round starting one call further along (for two calls: A B, then
    /// B A), so drift from the machine or the runtime's tiering lands on all of them alike.
    /// </summary>
    public static async Task RotateAsync(int rounds, IReadOnlyList<(Samples Samples, Func<Task> Call)> calls)
    {
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < calls.Count; i++)
            {
                var (samples, call) = calls[(round + i) % calls.Count];
                await samples.TimeAsync(call);
            }
        }
    }
}
