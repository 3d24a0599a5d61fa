using System.Security.Cryptography;
using Kubernetes.Emulator;
using OpenBao.Csi.Provider.IntegrationTests.Infrastructure;
using OpenBao.Emulator;
using File = System.IO.File;

namespace OpenBao.Csi.Provider.IntegrationTests;

/// <summary>
/// <c>openbao-csi-provider mount</c> run as a process, as an admin or a developer runs it: through a running
/// provider's socket or in its own process, against the OpenBao emulator. No secret or JWT may reach its output.
/// </summary>
public sealed class MountCommandTests : IAsyncLifetime
{
    private const string PodUid = "0b4c6f7e-9a51-4b0e-8d7e-5f2a3c1d9e80";

    private readonly SecretWitness _witness = new();
    private readonly CapturedLogs _logs = new();
    private OpenBaoEmulator _bao = null!;
    private string _folder = null!;
    private string _password = null!;
    private string _tokenFile = null!;

    public async Task InitializeAsync()
    {
        _bao = await OpenBaoEmulator.StartAsync();
        _password = _witness.Remember($"pw-{Convert.ToHexString(RandomNumberGenerator.GetBytes(12))}");
        ProviderFixture.SeedShopPassword(_bao, _password);
        _folder = Directory.CreateTempSubdirectory("openbao-csi-mount-").FullName;
        _tokenFile = Path.Combine(_folder, "token");
        await File.WriteAllTextAsync(_tokenFile, _witness.Remember(_bao.Issuer.Mint("shop", "app", ["openbao"], TimeSpan.FromMinutes(10), "app-0", PodUid)));
    }

    public async Task DisposeAsync()
    {
        await _bao.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
        _witness.ThrowIfLeaked(_logs.Lines);
    }

    private string Manifest(string objects) => ManifestFile.Write(_folder, objects);

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) =>
        ProviderBinary.RunToExitAsync(ProviderBinary.StartInfo(executable: null, ["mount", .. args]));

    private string[] PodFlags(string manifest) => ["-f", manifest, "-pod", "shop/app-0", "-pod-uid", PodUid, "-service-account", "app", "-token-file", _tokenFile];

    private void AssertNoLeak(params IEnumerable<string>[] texts) => Assert.Empty(_witness.FindLeaks(texts.SelectMany(t => t)));

    private static string[] Lines(string text) => text.TrimEnd().Split('\n');

    [Fact]
    public async Task Usage_TopLevelListsMountBesideValidate_AndABadMountFlagExitsTwo()
    {
        var (helpExit, help, _) = await ProviderBinary.RunToExitAsync(ProviderBinary.StartInfo(executable: null, "-help"));
        var (badExit, badOutput, bad) = await RunAsync("-f", "spc.yaml", "-pod", "app-0");

        Assert.Equal(0, helpExit);
        Assert.Contains("\n  validate FILE...\n", help, StringComparison.Ordinal);
        Assert.Contains("\n  mount -f FILE -pod NAMESPACE/NAME [flags]\n", help, StringComparison.Ordinal);
        Assert.Equal(2, badExit);
        Assert.Equal("invalid value \"app-0\" for flag -pod: expected NAMESPACE/NAME, such as shop/app-7d9f8", bad.Trim());
        Assert.Empty(badOutput);
    }

    [Fact]
    public async Task MisspeltCommand_NamesTheCommandsAndExitsTwo()
    {
        var (exitCode, output, error) = await ProviderBinary.RunToExitAsync(ProviderBinary.StartInfo(executable: null, "valdate", "spc.yaml"));

        Assert.Equal(2, exitCode);
        Assert.Equal("unknown command 'valdate': the commands are validate and mount, and the server takes only flags (see -help)", error.Trim());
        Assert.Empty(output);
    }

    [Fact]
    public async Task Mount_ThroughARunningProvidersSocket_PrintsModeSizeAndVersion()
    {
        await using var provider = await ProviderProcess.StartAsync(_logs, options => options.OpenBaoAddress = _bao.Address);

        var (exitCode, output, error) = await RunAsync([.. PodFlags(Manifest(ProviderFixture.PasswordObject + "\n  filePermission: 0600")), "-socket", provider.SocketPath]);

        Assert.True(exitCode == 0, error);
        var table = Lines(output);
        Assert.Equal(["OBJECT", "MODE", "SIZE", "VERSION"], table[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var row = Assert.Single(table[1..]).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["pw", "0600", _password.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)], row[..3]);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", row[3]);
        // The provider served it: its one log line for the mount names the pod the command played.
        Assert.Contains(_logs.Lines, line => line.Contains($"Mount for pod shop/app-0 (uid {PodUid}, SecretProviderClass app-secrets) OK", StringComparison.Ordinal));
        AssertNoLeak([output, error]);
    }

    /// <summary>Without -service-account the command names the account the token was issued for, as the kubelet would.</summary>
    [Fact]
    public async Task Mount_TokenFileWithoutServiceAccount_TheTokensOwn()
    {
        _bao.FailNext(1, 400, "/v1/auth/kubernetes/login", "invalid role name \"app\"");

        var (exitCode, _, error) = await RunAsync("-f", Manifest(ProviderFixture.PasswordObject), "-pod", "shop/app-0", "-token-file", _tokenFile, $"-openbao-addr={_bao.Address}");

        Assert.Equal(1, exitCode);
        Assert.Contains("failed for service account shop/app: invalid role name", error, StringComparison.Ordinal);
    }

    /// <summary>A running provider keeps OpenBao tokens per pod UID: a mount without one must not be answered from another token's login.</summary>
    [Fact]
    public async Task Mount_WithoutPodUid_EachTokenLogsInForItself()
    {
        await using var provider = await ProviderProcess.StartAsync(_logs, options => options.OpenBaoAddress = _bao.Address);
        var unbound = Path.Combine(_folder, "unbound-token");
        await File.WriteAllTextAsync(unbound, _witness.Remember(_bao.Issuer.Mint("shop", "app", ["openbao"], TimeSpan.FromMinutes(10))));
        // A real token OpenBao refuses: issued for another audience.
        var garbage = Path.Combine(_folder, "other-audience-token");
        await File.WriteAllTextAsync(garbage, _witness.Remember(_bao.Issuer.Mint("shop", "app", ["elsewhere"], TimeSpan.FromMinutes(10))));
        string[] Flags(string token) => ["-f", Manifest(ProviderFixture.PasswordObject), "-pod", "shop/app-0", "-token-file", token, "-socket", provider.SocketPath];

        var (goodExit, _, goodError) = await RunAsync(Flags(unbound));
        var (garbageExit, garbageOutput, garbageError) = await RunAsync(Flags(garbage));

        Assert.True(goodExit == 0, goodError);
        Assert.Equal(1, garbageExit);
        Assert.StartsWith("Mount failed: ", garbageError, StringComparison.Ordinal);
        Assert.Empty(garbageOutput);
        Assert.Equal(2, _bao.CountRequests("POST", "/v1/auth/kubernetes/login"));
    }

    [Fact]
    public async Task Mount_InProcessWithOpenBaoAddress_SameTableWithoutAProvider()
    {
        var (exitCode, output, error) = await RunAsync([.. PodFlags(Manifest(ProviderFixture.PasswordObject)), "-openbao-addr", _bao.Address.ToString()]);

        Assert.True(exitCode == 0, error);
        var row = Lines(output)[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["pw", "0644", _password.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)], row[..3]);
        Assert.Equal(1, _bao.CountRequests("POST", "/v1/auth/kubernetes/login"));
        AssertNoLeak([output, error]);
    }

    [Fact]
    public async Task Mount_MissingSecret_NotFoundOnStderrExitOne()
    {
        var (exitCode, output, error) = await RunAsync(
            [.. PodFlags(Manifest("- objectName: gone\n  secretPath: secret/data/shop/none\n  secretKey: x")), $"-openbao-addr={_bao.Address}"]);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("Mount failed: NotFound: ", error, StringComparison.Ordinal);
        Assert.Contains("secret/data/shop/none", error, StringComparison.Ordinal);
        Assert.Empty(output);
        AssertNoLeak([output, error]);
    }

    [Fact]
    public async Task Mount_Target_WritesTheFilesWithTheirModesAsTheDriverDoes()
    {
        _bao.PutKvV2("secret", "shop/tls", new Dictionary<string, object?> { ["crt"] = "CERTIFICATE", ["key"] = _witness.Remember($"key-{Guid.NewGuid():N}") });
        var target = Path.Combine(_folder, "mount");
        var objects = ProviderFixture.PasswordObject + "\n  filePermission: 0600\n"
            + "- objectName: tls/tls.crt\n  secretPath: secret/data/shop/tls\n  secretKey: crt\n"
            + "- objectName: tls/tls.key\n  secretPath: secret/data/shop/tls\n  secretKey: key\n  filePermission: 0400";

        var (exitCode, output, error) = await RunAsync([.. PodFlags(Manifest(objects)), $"-openbao-addr={_bao.Address}", "-target", target]);

        Assert.True(exitCode == 0, error);
        Assert.Equal(_password, await File.ReadAllTextAsync(Path.Combine(target, "pw")));
        Assert.Equal("CERTIFICATE", await File.ReadAllTextAsync(Path.Combine(target, "tls", "tls.crt")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(target, "..data", "pw")));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(Path.Combine(target, "..data", "tls", "tls.key")));
        Assert.Equal((UnixFileMode)Convert.ToInt32("644", 8), File.GetUnixFileMode(Path.Combine(target, "..data", "tls", "tls.crt")));
        Assert.Equal("..data/tls", new FileInfo(Path.Combine(target, "tls")).LinkTarget);
        Assert.Equal(4, Lines(output).Length);
        Assert.Contains($"Wrote 3 files to {target}", error, StringComparison.Ordinal);
        AssertNoLeak([output, error]);
    }

    [Fact]
    public async Task Mount_Watch_ReportsTheRotationAndStopsCleanlyOnSigterm()
    {
        var start = ProviderBinary.StartInfo(executable: null, ["mount", .. PodFlags(Manifest(ProviderFixture.PasswordObject)), $"-openbao-addr={_bao.Address}", "-watch", "200ms"]);
        using var mount = ProviderBinary.Start(start);
        var row = await mount.WaitForOutputAsync(line => line.StartsWith("pw ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var before = row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];

        _bao.PutKvV2("secret", "shop/db", new Dictionary<string, object?> { ["password"] = _witness.Remember($"pw2-{Guid.NewGuid():N}") });
        var rotated = await mount.WaitForOutputAsync(line => line.Contains(" pw rotated: ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var (exitCode, output) = await mount.TerminateAsync();

        Assert.EndsWith($" pw rotated: version {before} -> {rotated.Split(" -> ")[1]}", rotated, StringComparison.Ordinal);
        Assert.NotEqual(before, rotated.Split(" -> ")[1]);
        Assert.Equal(0, exitCode);
        AssertNoLeak(output, mount.Errors);
    }

    [Fact]
    public async Task Mount_TokenRequestThroughTheKubeconfig_ReadsThePodAndBindsTheTokenToIt()
    {
        await using var cluster = await FakeKubernetesApi.StartAsync();
        cluster.AddServiceAccount("shop", "app");
        cluster.AddPod("shop", "app-0", PodUid, "app");
        _bao.TrustKubernetesSigningKey(cluster.TokenSigningPublicKeyPem);
        var kubeconfig = cluster.WriteKubeconfig(Path.Combine(_folder, "kube"));

        var (exitCode, output, error) = await RunAsync(
            "-f", Manifest(ProviderFixture.PasswordObject), "-pod", "shop/app-0", "-kubeconfig", kubeconfig, $"-openbao-addr={_bao.Address}");

        Assert.True(exitCode == 0, error);
        var request = Assert.Single(cluster.TokenRequests);
        Assert.Equal(("shop", "app", "app-0", PodUid), (request.Namespace, request.ServiceAccount, request.BoundName, request.BoundUid));
        Assert.Equal(["openbao"], request.Audiences);
        Assert.StartsWith("pw ", Lines(output)[1], StringComparison.Ordinal);
        AssertNoLeak([output, error]);
    }
}
