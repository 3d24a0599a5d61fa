using System.Diagnostics;
using Csi.Driver.Emulator;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.IntegrationTests.Infrastructure;
using OpenBao.Csi.Provider.V1Alpha1;
using OpenBao.Emulator;
using Xunit.Abstractions;

namespace OpenBao.Csi.Provider.IntegrationTests;

/// <summary>
/// A node's worth of pods polling through OpenBao trouble: latency, 5xx, connection resets, a seal.
/// Bounded for CI; the point is what must never happen under load: a crash, a partial or wrong answer,
/// an Internal or Unknown status, a secret in a log line, memory that keeps growing.
/// </summary>
[Collection(SoakCollection.Name)]
public sealed class SoakTests(ITestOutputHelper output)
{
    private const int Pods = 200;
    private const int ObjectsPerPod = 5;
    private const int Concurrency = 32;

    [Fact]
    public async Task Soak_200PodsOf5ObjectsThroughFaults_NoCrashNoPartialAnswerNoLeakFlatHeap()
    {
        var witness = new SecretWitness();
        var logs = new CapturedLogs(line => witness.FindLeaks([line]).Count > 0);
        await using var bao = await OpenBaoEmulator.StartAsync();
        var values = Enumerable.Range(0, ObjectsPerPod).Select(i => witness.Remember($"soak-{i}-{Guid.NewGuid():N}")).ToArray();
        ProviderFixture.SeedShopPassword(bao, values[0]);
        for (var i = 1; i < ObjectsPerPod; i++)
        {
            bao.PutKvV2("secret", $"shop/s{i}", new Dictionary<string, object?> { ["value"] = values[i] });
        }

        // Default timeouts: no fault here is slow, and on a CI machine busy with other test projects a tight
        // timeout turns CPU starvation into DeadlineExceeded answers in the clean rounds.
        await using var provider = await ProviderProcess.StartAsync(logs, options => options.OpenBaoAddress = bao.Address);
        var objects = "- objectName: f0\n  secretPath: secret/data/shop/db\n  secretKey: password\n"
            + string.Concat(Enumerable.Range(1, ObjectsPerPod - 1).Select(i => $"- objectName: f{i}\n  secretPath: secret/data/shop/s{i}\n  secretKey: value\n"));
        var pods = Enumerable.Range(0, Pods).Select(i =>
        {
            var mount = new DriverMount { PodName = $"app-{i}" }.WithParameter("roleName", ProviderFixture.ShopRole).WithParameter("objects", objects);
            mount.Tokens["openbao"] = witness.Remember(bao.Issuer.Mint("shop", "app", ["openbao"], TimeSpan.FromHours(1)));
            return mount;
        }).ToArray();

        var faults = new (string Name, Action Start, Action End)[]
        {
            ("clean", () => { }, () => { }),
            ("latency", () => bao.Latency = TimeSpan.FromMilliseconds(15), () => bao.Latency = TimeSpan.Zero),
            // A mount that fails stops its other reads, so a round may leave faults unused: each round clears its own.
            ("5xx", () => bao.FailNext(300, 500, "/v1/secret/", "1 error occurred:\n\t* storage backend unavailable\n\n"), () => { }),
            ("resets", () => bao.AbortNext(150, "/v1/secret/"), () => { }),
            ("sealed", bao.Seal, bao.Unseal),
            ("recovered", () => { }, () => { }),
        };
        var codes = new Dictionary<StatusCode, int>();
        long heapWarm = 0;
        var rssWarm = ResidentKiB();
        var elapsed = Stopwatch.StartNew();
        for (var round = 0; round < 2 * faults.Length; round++)
        {
            var fault = faults[round % faults.Length];
            fault.Start();
            var results = await PollAllAsync(provider, pods);
            fault.End();
            bao.ClearFaults();
            bao.ClearRequests();
            foreach (var (code, response) in results)
            {
                codes[code] = codes.GetValueOrDefault(code) + 1;
                if (code == StatusCode.OK)
                {
                    Assert.Equal(ObjectsPerPod, response!.Files.Count);
                    Assert.Equal(ObjectsPerPod, response.ObjectVersion.Count);
                    Assert.Equal(values, response.Files.OrderBy(f => f.Path, StringComparer.Ordinal).Select(f => f.Contents.ToStringUtf8()));
                }
            }

            if (fault.Name is "clean" or "recovered")
            {
                Assert.All(results, result => Assert.True(result.Code == StatusCode.OK, $"round {round} ({fault.Name}): {result.Code}"));
            }

            if (round == faults.Length - 1)
            {
                heapWarm = GC.GetTotalMemory(forceFullCollection: true);
                rssWarm = ResidentKiB();
            }
        }

        var heapEnd = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"{2 * faults.Length * Pods} mounts of {ObjectsPerPod} objects in {elapsed.Elapsed.TotalSeconds:0.0}s; codes {string.Join(", ", codes.Select(c => $"{c.Key}={c.Value}"))}");
        output.WriteLine($"managed heap after one cycle {heapWarm / 1048576.0:0.0} MiB, after two {heapEnd / 1048576.0:0.0} MiB; test-host RSS {rssWarm / 1024.0:0} → {ResidentKiB() / 1024.0:0} MiB; {logs.Seen} log lines checked");
        Assert.Empty(logs.Lines);
        Assert.DoesNotContain(StatusCode.Internal, codes.Keys);
        Assert.DoesNotContain(StatusCode.Unknown, codes.Keys);
        Assert.All(codes.Keys, code => Assert.Contains(code, new[] { StatusCode.OK, StatusCode.Aborted }));
        Assert.InRange(heapEnd - heapWarm, long.MinValue, 16L * 1024 * 1024);
        Assert.Equal("openbao-csi-provider", (await provider.Client.VersionAsync(new VersionRequest())).RuntimeName);
    }

    private static async Task<List<(StatusCode Code, MountResponse? Response)>> PollAllAsync(ProviderProcess provider, DriverMount[] pods)
    {
        var results = new List<(StatusCode, MountResponse?)>(pods.Length);
        await Parallel.ForEachAsync(pods, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (pod, _) =>
        {
            (StatusCode, MountResponse?) result;
            try
            {
                result = (StatusCode.OK, await provider.Client.MountAsync(pod.ToRequest()));
            }
            catch (RpcException ex)
            {
                result = (ex.StatusCode, null);
            }

            lock (results)
            {
                results.Add(result);
            }
        });
        return results;
    }

    private static long ResidentKiB() =>
        System.IO.File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture)).Single();
}

/// <summary>The soak runs alone, after the parallel collections: its heap figures are then its own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoakCollection
{
    public const string Name = "Soak";
}
