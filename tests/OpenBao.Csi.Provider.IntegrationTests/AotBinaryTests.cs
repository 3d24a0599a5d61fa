using Csi.Driver.Emulator;
using OpenBao.Csi.Provider.IntegrationTests.Infrastructure;
using OpenBao.Csi.Provider.IntegrationTests.KubernetesApi;
using OpenBao.Csi.Provider.V1Alpha1;
using OpenBao.Emulator;
using File = System.IO.File;

namespace OpenBao.Csi.Provider.IntegrationTests;

/// <summary>
/// The NativeAOT binary the image ships, published once by <c>.ci/run</c> (OPENBAO_CSI_AOT_BINARY):
/// trimming or AOT compilation can break what the JIT build does, so the features most at risk
/// (JSON, YAML, templates, PKCS#12, statx, SO_PEERCRED) are exercised through it.
/// </summary>
public sealed class AotBinaryTests
{
    private static readonly string? Binary = Environment.GetEnvironmentVariable("OPENBAO_CSI_AOT_BINARY");

    /// <summary>
    /// Fluid reflects over CLR objects' members and serializes them with reflection; the provider hands templates
    /// only values built from JSON and replaces the <c>json</c> filter, so those paths never run (the mount below
    /// proves the filters it uses). Any other trim or AOT warning, ours or another library's, fails here.
    /// </summary>
    private static readonly string[] KnownWarnings = ["IL2104: Assembly 'Fluid' produced trim warnings", "IL3053: Assembly 'Fluid' produced AOT analysis warnings"];

    [Fact]
    public void AotPublish_WarnsOnlyAboutFluidsReflection()
    {
        if (Binary is null)
        {
            return;
        }

        var log = Environment.GetEnvironmentVariable("OPENBAO_CSI_AOT_PUBLISH_LOG");
        Assert.True(log is not null && File.Exists(log), "OPENBAO_CSI_AOT_PUBLISH_LOG must name the publish output when OPENBAO_CSI_AOT_BINARY is set");

        var warnings = File.ReadLines(log)
            .Select(line => System.Text.RegularExpressions.Regex.Match(line, @"warning (IL\d{4}: [^[]*)"))
            .Where(match => match.Success)
            .Select(match => match.Groups[1].Value.Trim())
            .Distinct()
            .ToList();

        // The known ones prove the log holds a real compilation, not an up-to-date publish that skipped it.
        Assert.All(KnownWarnings, known => Assert.Contains(warnings, warning => warning.StartsWith(known, StringComparison.Ordinal)));
        Assert.DoesNotContain(warnings, warning => !KnownWarnings.Any(known => warning.StartsWith(known, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AotBinary_MountsFormatsTemplatesAndCertificates_RefusesABadEndpoint_StopsCleanly()
    {
        // Outside .ci/run (a plain `dotnet test`) there is no published binary to test.
        if (Binary is null)
        {
            return;
        }

        var witness = new SecretWitness();
        await using var bao = await OpenBaoEmulator.StartAsync();
        var password = witness.Remember($"aot-{Guid.NewGuid():N}");
        ProviderFixture.SeedShopPassword(bao, password);
        bao.EnablePki(withIntermediateCa: true);
        bao.AddPkiRole("web", ["example.com"], allowSubdomains: true);
        bao.AddPolicy("shop-read", new PolicyRule("secret/data/shop/*", "read"), new PolicyRule("pki/issue/web", "update"));
        var folder = Directory.CreateTempSubdirectory("openbao-csi-aot-").FullName;
        var socket = Path.Combine(folder, "openbao.sock");
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "keep");

        var refused = await ProviderBinary.RunToExitAsync(ProviderBinary.StartInfo(Binary, $"-endpoint={Path.Combine(folder, "notes.txt")}", "-health-addr="));
        using var provider = await ProviderBinary.StartServingAsync(
            ProviderBinary.StartInfo(Binary, $"-endpoint={socket}", "-health-addr=", "-log-format=json", "-log-level=trace", $"-openbao-addr={bao.Address}"));

        MountResponse response;
        using (var channel = DriverChannel.Create(socket))
        {
            var mount = new DriverMount().WithParameter("roleName", ProviderFixture.ShopRole).WithParameter("objects", """
                - objectName: db.env
                  secretPath: secret/data/shop/db
                  format: env
                - objectName: db.yaml
                  secretPath: secret/data/shop/db
                  format: yaml
                - objectName: url
                  template: "postgres://app:{{ objects['db.env'] | size }}@db"
                - objectName: db.json
                  secretPath: secret/data/shop/db
                  template: "{{ data | json }} {{ data.password | split: '-' | first | upcase }}"
                - objectName: keystore.p12
                  secretPath: pki/issue/web
                  method: PUT
                  secretArgs: {common_name: app.example.com}
                  format: pkcs12
                """);
            mount.Tokens["openbao"] = witness.Remember(bao.Issuer.Mint("shop", "app", ["openbao"], TimeSpan.FromMinutes(10)));
            response = await DriverAcceptance.Client(channel).MountAsync(mount.ToRequest());
        }

        var (exitCode, output) = await provider.TerminateAsync();
        var files = response.Files.ToDictionary(f => f.Path, f => f.Contents);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("is not a socket", refused.Error, StringComparison.Ordinal);
        Assert.Equal($"password='{password}'\n", files["db.env"].ToStringUtf8());
        Assert.Equal($"\"password\": \"{password}\"\n", files["db.yaml"].ToStringUtf8());
        Assert.Equal($"postgres://app:{files["db.env"].Length}@db", files["url"].ToStringUtf8());
        Assert.Equal($"{{\"password\":\"{password}\"}} AOT", files["db.json"].ToStringUtf8());
        Assert.Equal(3, System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12Collection(files["keystore.p12"].ToByteArray(), string.Empty).Count);
        Assert.Equal(0, exitCode);
        Assert.False(File.Exists(socket));
        Assert.Empty(witness.FindLeaks(output));
    }

    /// <summary>
    /// Start-up fits in the first gen-0 budget (System.GC.Gen0MaxBudget in the provider's csproj): the collection
    /// it would otherwise need promotes everything start-up built and cost about a sixth of start to serving.
    /// Started as in a cluster (kubeconfig, version key Secret, pod watch), which allocates the most.
    /// </summary>
    [Fact]
    public async Task AotBinary_StartsServingWithoutAGarbageCollection()
    {
        if (Binary is null)
        {
            return;
        }

        await using var bao = await OpenBaoEmulator.StartAsync();
        await using var cluster = await FakeCluster.StartAsync();
        var socket = Path.Combine(Directory.CreateTempSubdirectory("openbao-csi-aot-gc-").FullName, "openbao.sock");
        var port = LoopbackPort.Free();
        var start = ProviderBinary.StartInfo(
            Binary, $"-endpoint={socket}", $"-health-addr=127.0.0.1:{port}", $"-openbao-addr={bao.Address}", $"-kubeconfig={cluster.Kubeconfig}", "-node-name=node-1");
        start.Environment["POD_NAMESPACE"] = "csi";
        using var provider = await ProviderBinary.StartServingAsync(start);
        using (var watchOpened = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await cluster.Api.WaitForOpenWatchCountAsync(1, watchOpened.Token);
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var scrape = PrometheusText.Parse(await http.GetStringAsync("/metrics"));
        await provider.TerminateAsync();

        var allocated = scrape.Value("dotnet_gc_heap_total_allocated_bytes_total") / (1024 * 1024);
        Assert.True(
            scrape.Value("dotnet_gc_collections_total", ("gc_heap_generation", "gen0")) == 0,
            $"start-up allocated {allocated:0.0} MiB and collected before its first scrape: allocate less at start-up, or raise System.GC.Gen0MaxBudget and measure the burst peak again");
    }

    [Fact]
    public async Task AotBinary_MountCommand_InProcessAndThroughARunningProvidersSocket()
    {
        if (Binary is null)
        {
            return;
        }

        var witness = new SecretWitness();
        await using var bao = await OpenBaoEmulator.StartAsync();
        var password = witness.Remember($"aot-mount-{Guid.NewGuid():N}");
        ProviderFixture.SeedShopPassword(bao, password);
        var folder = Directory.CreateTempSubdirectory("openbao-csi-aot-mount-").FullName;
        var socket = Path.Combine(folder, "openbao.sock");
        var manifest = ManifestFile.Write(folder, ProviderFixture.PasswordObject);
        var tokenFile = Path.Combine(folder, "token");
        await File.WriteAllTextAsync(tokenFile, witness.Remember(bao.Issuer.Mint("shop", "app", ["openbao"], TimeSpan.FromMinutes(10))));
        string[] pod = ["mount", "-f", manifest, "-pod", "shop/app-0", "-pod-uid", Guid.NewGuid().ToString(), "-service-account", "app", "-token-file", tokenFile];

        var inProcess = await ProviderBinary.RunToExitAsync(ProviderBinary.StartInfo(Binary, [.. pod, $"-openbao-addr={bao.Address}"]));
        using var provider = await ProviderBinary.StartServingAsync(
            ProviderBinary.StartInfo(Binary, $"-endpoint={socket}", "-health-addr=", $"-openbao-addr={bao.Address}"));
        var throughSocket = await ProviderBinary.RunToExitAsync(ProviderBinary.StartInfo(Binary, [.. pod, $"-socket={socket}"]));
        await provider.TerminateAsync();

        foreach (var (exitCode, output, error) in new[] { inProcess, throughSocket })
        {
            Assert.True(exitCode == 0, error);
            var row = output.TrimEnd().Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(["pw", "0644", password.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)], row[..3]);
            Assert.Empty(witness.FindLeaks([output, error]));
        }
    }
}
