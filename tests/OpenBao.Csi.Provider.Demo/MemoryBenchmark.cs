using Google.Protobuf.Collections;
using OpenBao.Csi.Provider.V1Alpha1;

namespace OpenBao.Csi.Provider.Demo;

/// <summary>
/// The provider's resident memory idle, and at its peak under a burst of pod starts and one rotation
/// sweep over them. The kernel's high-water mark (<c>VmHWM</c>) cannot be reset, so the burst runs
/// in a fresh process started for it alone: its peak is the burst's, not an earlier phase's.
/// </summary>
internal static class MemoryBenchmark
{
    public const int BurstPods = 200;
    public const int BurstObjectsPerPod = 5;
    public const int BurstConcurrency = 64;

    /// <summary>
    /// Once the provider has released what only start-up needed (it does so a second after its last mount).
    /// No collection is forced beyond that: garbage a quiet provider still holds counts, as it does on a node.
    /// </summary>
    public static async Task<ResidentMemory> IdleAsync(ProviderProcess provider)
    {
        await provider.StartupMemoryReleasedAsync();
        return ProcFs.Memory(provider.Process.Id);
    }

    public static async Task<BurstMemory> BurstAsync(DemoEnvironment environment)
    {
        await using var provider = environment.StartProvider("burst");
        await provider.WaitUntilServingAsync();
        var pid = provider.Process.Id;
        var beforeBurst = ProcFs.Memory(pid);

        var objects = BenchmarkSecrets.Objects(BenchmarkSecrets.Paths(BurstObjectsPerPod));
        var pods = Enumerable.Range(0, BurstPods).Select(_ => environment.PodMount(objects)).ToList();
        var current = new RepeatedField<ObjectVersion>[BurstPods];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = BurstConcurrency };
        await Parallel.ForEachAsync(Enumerable.Range(0, BurstPods), parallel, async (i, _) =>
            current[i] = (await provider.Client.MountAsync(pods[i].ToRequest())).ObjectVersion);
        await Parallel.ForEachAsync(Enumerable.Range(0, BurstPods), parallel, async (i, _) =>
            await provider.Client.MountAsync(pods[i].ToRequest(current[i])));

        var peak = ProcFs.StatusMebibytes(pid, "VmHWM");
        var settled = await IdleAsync(provider);
        var peakAfterSettling = ProcFs.StatusMebibytes(pid, "VmHWM");
        environment.Bao.ClearRequests();
        return new BurstMemory(beforeBurst, peak, settled, peakAfterSettling);
    }
}
