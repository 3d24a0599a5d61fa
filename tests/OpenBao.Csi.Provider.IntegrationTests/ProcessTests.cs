using System.Text.Json;
using Csi.Driver.Emulator;
using OpenBao.Csi.Provider.IntegrationTests.Infrastructure;
using OpenBao.Csi.Provider.V1Alpha1;
using File = System.IO.File;
using OpenBao.Emulator;

namespace OpenBao.Csi.Provider.IntegrationTests;

/// <summary>The built binary as the DaemonSet runs it: flags, exit codes, SIGTERM.</summary>
public sealed class ProcessTests
{
    private static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) =>
        ProviderBinary.RunToExitAsync(ProviderBinary.StartInfo(executable: null, args));

    [Fact]
    public async Task Version_PrintsJsonAndExitsZero()
    {
        var (exitCode, output, _) = await RunAsync("-version");

        using var json = JsonDocument.Parse(output);
        Assert.Equal(0, exitCode);
        Assert.Equal("openbao-csi-provider", json.RootElement.GetProperty("runtimeName").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+", json.RootElement.GetProperty("version").GetString());
    }

    [Theory]
    [InlineData("flag provided but not defined: -bogus", "-bogus")]
    [InlineData("invalid value \"lots\" for flag -cache-size", "--cache-size", "lots")]
    public async Task BadFlag_OneLineAndExitTwo(string expected, params string[] args)
    {
        var (exitCode, _, error) = await RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task BadKeyFile_ExitsOneNamingIt()
    {
        var (exitCode, _, error) = await RunAsync("-hmac-key-file=/nonexistent/key", "-endpoint", Path.Combine(Path.GetTempPath(), $"bad-key-{Guid.NewGuid():N}.sock"));

        Assert.Equal(1, exitCode);
        Assert.Contains("/nonexistent/key", error, StringComparison.Ordinal);
    }

    public static TheoryData<string> StartFailures => ["busy-health-port", "directory-endpoint", "regular-file-endpoint", "missing-ca-file", "missing-client-key", "missing-kubeconfig", "broken-kubeconfig"];

    [Theory]
    [MemberData(nameof(StartFailures))]
    public async Task StartFailure_OneLineNamingTheCauseNoStackTraceExitOne(string failure)
    {
        var folder = Directory.CreateTempSubdirectory("openbao-csi-start-").FullName;
        var socket = Path.Combine(folder, "openbao.sock");
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var busyPort = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;
        var (args, named) = failure switch
        {
            "busy-health-port" => (new[] { $"-endpoint={socket}", $"-health-addr=127.0.0.1:{busyPort}" }, "-health-addr 127.0.0.1:" + busyPort),
            "directory-endpoint" => ([$"-endpoint={folder}", "-health-addr="], $"-endpoint {folder} is a directory"),
            "regular-file-endpoint" => ([$"-endpoint={Path.Combine(folder, "notes.txt")}", "-health-addr="], "is not a socket"),
            "missing-ca-file" => ([$"-endpoint={socket}", "-health-addr=", "-openbao-tls-ca-cert=/nonexistent/ca.pem"], "/nonexistent/ca.pem"),
            "missing-kubeconfig" => ([$"-endpoint={socket}", "-health-addr=", "-kubeconfig=/nonexistent/kubeconfig"], "kubeconfig /nonexistent/kubeconfig (-kubeconfig) does not exist"),
            "broken-kubeconfig" => ([$"-endpoint={socket}", "-health-addr=", $"-kubeconfig={folder}/notes.txt"], $"kubeconfig {folder}/notes.txt cannot be used"),
            _ => ([$"-endpoint={socket}", "-health-addr=", $"-openbao-tls-client-cert={folder}/cert.pem", $"-openbao-tls-client-key={folder}/missing-key.pem"], $"{folder}/cert.pem"),
        };
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "keep me");

        var (exitCode, output, error) = await RunAsync(args);

        Assert.Equal(1, exitCode);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("openbao-csi-provider cannot start: ", error, StringComparison.Ordinal);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(Path.Combine(folder, "notes.txt")));
    }

    [Fact]
    public async Task Validate_ManifestsWithProblems_ListsEachWithFileAndNameExitsOne()
    {
        var folder = Directory.CreateTempSubdirectory("openbao-csi-validate-").FullName;
        var good = Path.Combine(folder, "good.yaml");
        var bad = Path.Combine(folder, "bad.yaml");
        await File.WriteAllTextAsync(good, "kind: ConfigMap\nmetadata: {name: other}\n---\napiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata: {name: shop}\nspec:\n  provider: openbao\n  parameters:\n    roleName: app\n    objects: |\n      - objectName: app.env\n        secretPath: secret/data/shop/app\n        format: env\n");
        await File.WriteAllTextAsync(bad, "apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata: {name: broken}\nspec:\n  provider: openbao\n  parameters:\n    objects: |\n      - objectName: f\n        secretPath: secret/data/x\n        secretKey: k\n        format: json\n");

        var (okExit, okOutput, _) = await RunAsync("validate", good);
        var (badExit, badOutput, _) = await RunAsync("validate", good, bad);
        var (usageExit, _, usage) = await RunAsync("validate");

        Assert.Equal(0, okExit);
        Assert.Equal($"{good}: SecretProviderClass shop: ok (1 objects)", okOutput.Trim());
        Assert.Equal(1, badExit);
        Assert.Contains($"{bad}: SecretProviderClass broken: missing 'roleName' parameter", badOutput, StringComparison.Ordinal);
        Assert.Contains($"{bad}: SecretProviderClass broken: object 'f': format writes the whole secret, so it cannot be combined with secretKey", badOutput, StringComparison.Ordinal);
        Assert.Equal(2, usageExit);
        Assert.StartsWith("usage: openbao-csi-provider validate FILE...", usage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_EveryShippedExample_IsValid()
    {
        var examples = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "deploy", "examples"));

        var (exitCode, output, _) = await RunAsync(["validate", .. Directory.GetFiles(examples, "*.yaml")]);

        Assert.True(exitCode == 0, output);
        Assert.Contains("SecretProviderClass files-app: ok (8 objects)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonLogs_OneObjectPerLine_MountLinesCarryTheFieldsAndNoSecret()
    {
        var witness = new SecretWitness();
        await using var bao = await OpenBaoEmulator.StartAsync();
        ProviderFixture.SeedShopPassword(bao, witness.Remember($"json-log-{Guid.NewGuid():N}"));
        var socket = Path.Combine(Directory.CreateTempSubdirectory("openbao-csi-json-").FullName, "openbao.sock");
        using var provider = await ProviderBinary.StartServingAsync(
            ProviderBinary.StartInfo(executable: null, $"-endpoint={socket}", "-health-addr=", "-log-format=json", "-log-level=trace", $"-openbao-addr={bao.Address}"));

        using (var channel = DriverChannel.Create(socket))
        {
            var client = DriverAcceptance.Client(channel);
            var mount = new DriverMount { PodName = "shop-0" }.WithParameter("roleName", ProviderFixture.ShopRole).WithParameter("objects", ProviderFixture.PasswordObject);
            mount.Tokens["openbao"] = witness.Remember(bao.Issuer.Mint("shop", "app", ["openbao"], TimeSpan.FromMinutes(10)));
            await client.MountAsync(mount.ToRequest());
            mount.WithParameter("objects", "- objectName: gone\n  secretPath: secret/data/shop/none\n  secretKey: x");
            await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(async () => await client.MountAsync(mount.ToRequest()));
        }

        var (_, lines) = await provider.TerminateAsync();
        var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var mounted = Assert.Single(entries, e => e.GetProperty("EventId").GetInt32() == 300).GetProperty("State");
        var failed = Assert.Single(entries, e => e.GetProperty("EventId").GetInt32() == 400).GetProperty("State");

        Assert.Equal(("shop", "shop-0", "OK", "1"), (mounted.GetProperty("PodNamespace").GetString(), mounted.GetProperty("Pod").GetString(), mounted.GetProperty("Code").GetString(), mounted.GetProperty("ObjectCount").ToString()));
        Assert.Matches("^[0-9a-f-]{36}$", mounted.GetProperty("PodUid").GetString());
        Assert.Equal("NotFound", failed.GetProperty("Code").GetString());
        Assert.Empty(witness.FindLeaks(lines));
    }

    [Fact]
    public async Task Sigterm_RemovesSocketAndExitsZero()
    {
        var socket = Path.Combine(Directory.CreateTempSubdirectory("openbao-csi-term-").FullName, "openbao.sock");
        using var provider = await ProviderBinary.StartServingAsync(ProviderBinary.StartInfo(executable: null, $"-endpoint={socket}", "-health-addr="));
        var servedAt = File.Exists(socket);

        var (exitCode, _) = await provider.TerminateAsync();

        Assert.True(servedAt);
        Assert.Equal(0, exitCode);
        Assert.False(File.Exists(socket));
    }
}
