using System.Diagnostics;
using System.Globalization;
using Csi.Driver.Emulator;

namespace OpenBao.Csi.Provider.Demo;

/// <summary>
/// What rotation polling costs OpenBao: many pods, each with two KV objects and one dynamic database
/// credential, polled again and again, counted at the emulator. The baseline, measured in the same run
/// against the same provider, is <c>leasePolicy: reissue</c> — a new credential every poll, as the Go
/// providers do. Leases last 6 s and polls come every second, so renewals show up within the run.
/// </summary>
internal static class RotationBenchmark
{
    private const int Pods = 100;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private const string Objects =
        "- objectName: db-password\n  secretPath: secret/data/shop/db\n  secretKey: password\n" +
        "- objectName: api-key\n  secretPath: secret/data/shop/api\n  secretKey: key\n" +
        "- objectName: db-user\n  secretPath: database/creds/shop-db\n  secretKey: username\n";

    public static async Task<int> RunAsync(TextWriter output, int polls)
    {
        await using var environment = await DemoEnvironment.StartAsync();
        var reissue = await MeasureAsync(environment, Pods, polls, reissue: true);
        var reuse = await MeasureAsync(environment, Pods, polls, reissue: false);

        output.WriteLine($"OpenBao requests per pod per poll: {Pods} pods x (2 KV + 1 dynamic object), {polls} polls {PollInterval.TotalSeconds:0}s apart, 6s database leases");
        output.WriteLine($"{"case",-40} {"logins",8} {"reads",8} {"new leases",11} {"renewals",9} {"live leases",12}");
        Row(output, "baseline: leasePolicy reissue (Go-like)", reissue, polls);
        Row(output, "default: leasePolicy reuse", reuse, polls);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"new credentials: {reuse.NewLeases} instead of {reissue.NewLeases} ({(double)reissue.NewLeases / Math.Max(1, reuse.NewLeases):0.0}x fewer); OpenBao requests: {reuse.Total} instead of {reissue.Total} ({(double)reissue.Total / Math.Max(1, reuse.Total):0.00}x fewer)"));
        return 0;
    }

    /// <summary>
    /// What <paramref name="polls"/> mounts, 1 s apart, of each of <paramref name="podCount"/> new pods cost
    /// OpenBao, with the default lease reuse or with <c>leasePolicy: reissue</c> on the dynamic object.
    /// </summary>
    /// <param name="countPodStart">
    /// Whether the first mount (login, first lease) is one of the polls counted; without it the pods
    /// start in an extra, uncounted round and the counts are those of rotation polls alone.
    /// </param>
    public static async Task<RotationCounts> MeasureAsync(DemoEnvironment environment, int podCount, int polls, bool reissue, bool countPodStart = true)
    {
        var objects = reissue ? Objects + "  leasePolicy: reissue\n" : Objects;
        var pods = Enumerable.Range(0, podCount).Select(_ => environment.PodMount(objects)).ToList();
        var rounds = countPodStart ? polls : polls + 1;
        var before = Snapshot(environment);
        for (var round = 0; round < rounds; round++)
        {
            if (round == rounds - polls)
            {
                before = Snapshot(environment);
            }

            var started = Stopwatch.GetTimestamp();
            await Parallel.ForEachAsync(pods, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (pod, _) => await MountAsync(environment, pod));
            var left = PollInterval - Stopwatch.GetElapsedTime(started);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left);
            }
        }

        return Snapshot(environment) - before;
    }

    private static async Task MountAsync(DemoEnvironment environment, DriverMount pod) =>
        await environment.Client.MountAsync(pod.ToRequest());

    private static RotationCounts Snapshot(DemoEnvironment environment)
    {
        var leases = environment.Bao.GetLeaseStatistics("database/creds/");
        var tokens = environment.Bao.GetTokenStatistics();
        var reads = environment.Bao.CountRequests("GET", "/v1/secret/data/") + environment.Bao.CountRequests("GET", "/v1/database/creds/");
        return new RotationCounts(tokens.Logins, reads, leases.Issued, leases.Renewed + tokens.TokenRenewals, leases.Live);
    }

    private static void Row(TextWriter output, string name, RotationCounts counts, int polls)
    {
        double PerPoll(int value) => (double)value / (Pods * polls);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-40} {PerPoll(counts.Logins),8:0.000} {PerPoll(counts.Reads),8:0.000} {PerPoll(counts.NewLeases),11:0.000} {PerPoll(counts.Renewals),9:0.000} {counts.Live,12}"));
    }
}
