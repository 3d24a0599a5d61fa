using System.Globalization;

namespace OpenBao.Csi.Provider.Demo;

/// <summary>
/// Mount latency for one KV object against the emulator, as medians of many calls, each against a
/// baseline measured in the same run: one plain HTTP read of the same secret from the same emulator.
/// The ratio is what the provider adds on top of OpenBao itself (socket, gRPC, parse, render, HMAC).
/// </summary>
internal static class MountBenchmark
{
    private const string SecretPath = "secret/data/shop/db";
    private const string OneKvObject = $"- objectName: db-password\n  secretPath: {SecretPath}\n  secretKey: password";

    public static async Task<int> RunAsync(TextWriter output, int iterations)
    {
        await using var environment = await DemoEnvironment.StartAsync();
        using var direct = await DirectOpenBao.LoginAsync(environment.Bao);

        var warmPod = environment.PodMount(OneKvObject);
        await environment.Client.MountAsync(warmPod.ToRequest());
        for (var i = 0; i < 50; i++)
        {
            await direct.ReadAsync(SecretPath);
            await environment.Client.MountAsync(warmPod.ToRequest());
        }

        environment.Bao.ClearRequests();
        var baseline = await Samples.MeasureAsync(iterations, () => direct.ReadAsync(SecretPath));
        // Built once, outside the timing, as in LatencyBenchmark.
        var poll = warmPod.ToRequest();
        var warm = await Samples.MeasureAsync(iterations, () => environment.Client.MountAsync(poll).ResponseAsync);
        var warmLogins = environment.Bao.CountRequests("POST", "/v1/auth/kubernetes/login");
        var cold = await Samples.MeasureAsync(iterations / 4, () => environment.Client.MountAsync(environment.PodMount(OneKvObject).ToRequest()).ResponseAsync);

        output.WriteLine($"Mount latency, one KV v2 object, emulator on loopback, {iterations} calls each (cold: {iterations / 4})");
        output.WriteLine($"{"case",-44} {"median ms",10} {"p95 ms",8} {"× baseline",11}");
        Row(output, "baseline: direct HTTP GET of the secret", baseline, baseline);
        Row(output, "warm mount (rotation poll, cached token)", warm, baseline);
        Row(output, "cold mount (new pod: login + read)", cold, baseline);
        output.WriteLine($"logins during {iterations} warm polls of one pod: {warmLogins}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"provider resident memory after the run: {ProcFs.StatusMebibytes(environment.Provider.Id, "VmRSS"):0.0} MiB"));
        return 0;
    }

    private static void Row(TextWriter output, string name, Samples samples, Samples baseline)
    {
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-44} {samples.Median,10:0.000} {samples.Percentile(0.95),8:0.000} {samples.Median / baseline.Median,11:0.00}"));
    }
}
