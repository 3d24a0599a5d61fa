using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OpenBao.Csi.Provider.Demo;

/// <summary>
/// Mount latency for one KV object against the emulator, as medians of many calls, each against a
/// baseline measured in the same run: one plain HTTP read of the same secret from the same emulator.
/// The ratio is what the provider adds on top of OpenBao itself (socket, gRPC, parse, render, HMAC).
/// </summary>
internal static class MountBenchmark
{
    private const string OneKvObject = "- objectName: db-password\n  secretPath: secret/data/shop/db\n  secretKey: password";

    public static async Task<int> RunAsync(TextWriter output, int iterations)
    {
        await using var environment = await DemoEnvironment.StartAsync();
        using var http = new HttpClient { BaseAddress = environment.Bao.Address };
        var token = await LoginAsync(http, environment);

        var warmPod = environment.PodMount(OneKvObject);
        await environment.Client.MountAsync(warmPod.ToRequest());
        for (var i = 0; i < 50; i++)
        {
            await ReadDirectlyAsync(http, token);
            await environment.Client.MountAsync(warmPod.ToRequest());
        }

        environment.Bao.ClearRequests();
        var baseline = await MeasureAsync(iterations, () => ReadDirectlyAsync(http, token));
        var warm = await MeasureAsync(iterations, () => environment.Client.MountAsync(warmPod.ToRequest()).ResponseAsync);
        var warmLogins = environment.Bao.CountRequests("POST", "/v1/auth/kubernetes/login");
        var cold = await MeasureAsync(iterations / 4, () => environment.Client.MountAsync(environment.PodMount(OneKvObject).ToRequest()).ResponseAsync);

        output.WriteLine($"Mount latency, one KV v2 object, emulator on loopback, {iterations} calls each (cold: {iterations / 4})");
        output.WriteLine($"{"case",-44} {"median ms",10} {"p95 ms",8} {"× baseline",11}");
        Row(output, "baseline: direct HTTP GET of the secret", baseline, baseline);
        Row(output, "warm mount (rotation poll, cached token)", warm, baseline);
        Row(output, "cold mount (new pod: login + read)", cold, baseline);
        output.WriteLine($"logins during {iterations} warm polls of one pod: {warmLogins}");
        output.WriteLine($"provider resident memory after the run: {ResidentMegabytes(environment.Provider):0.0} MiB");
        return 0;
    }

    private static async Task<string> LoginAsync(HttpClient http, DemoEnvironment environment)
    {
        var jwt = environment.Bao.Issuer.Mint("shop", "app", ["openbao"], TimeSpan.FromMinutes(10));
        using var response = await http.PostAsJsonAsync("v1/auth/kubernetes/login", new JsonObject { ["role"] = "app", ["jwt"] = jwt });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body!["auth"]!["client_token"]!.GetValue<string>();
    }

    private static async Task ReadDirectlyAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/secret/data/shop/db");
        request.Headers.Add("X-Vault-Token", token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<double[]> MeasureAsync(int iterations, Func<Task> call)
    {
        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await call();
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(samples);
        return samples;
    }

    private static void Row(TextWriter output, string name, double[] samples, double[] baseline)
    {
        var median = Percentile(samples, 0.5);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-44} {median,10:0.000} {Percentile(samples, 0.95),8:0.000} {median / Percentile(baseline, 0.5),11:0.00}"));
    }

    private static double Percentile(double[] sorted, double fraction) => sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(fraction * sorted.Length))];

    private static double ResidentMegabytes(Process process)
    {
        var status = File.ReadAllLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return status is null ? double.NaN : double.Parse(status.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
