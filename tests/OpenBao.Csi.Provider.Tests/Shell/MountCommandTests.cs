using OpenBao.Csi.Provider.Shell;

namespace OpenBao.Csi.Provider.Tests.Shell;

/// <summary>What <c>mount</c> decides before any mount is sent; the mounts themselves run as a process in the integration tests.</summary>
public sealed class MountCommandTests : IDisposable
{
    private const string Spc = "apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata: {name: app-secrets}\nspec:\n  provider: openbao\n  parameters:\n    roleName: app\n    objects: |\n      - objectName: pw\n        secretPath: secret/data/shop/db\n";

    private readonly string _folder = Directory.CreateTempSubdirectory("mount-command-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Hermetic: no kubeconfig of the machine running the tests.</summary>
    private static string? NoCluster(string name) => name == "KUBECONFIG" ? "/nonexistent" : null;

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await MountCommand.RunAsync(args, new StringReader(input), output, error, NoCluster, TimeProvider.System, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Run_SeveralSecretProviderClasses_AsksForOneExitOne()
    {
        var file = Write("two.yaml", Spc + "---\n" + Spc.Replace("app-secrets", "other", StringComparison.Ordinal));

        var (exitCode, output, error) = await RunAsync(string.Empty, "-f", file, "-pod", "shop/app-0", "-token-file", file);

        Assert.Equal(1, exitCode);
        Assert.Equal($"mount: {file} holds 2 SecretProviderClasses (app-secrets, other): give -f a file with the one to mount", error.Trim());
        Assert.Empty(output);
    }

    [Fact]
    public async Task Run_NoSecretProviderClass_ExitOne()
    {
        var (exitCode, _, error) = await RunAsync("kind: ConfigMap\n", "-f", "-", "-pod", "shop/app-0");

        Assert.Equal(1, exitCode);
        Assert.Equal("mount: stdin holds no SecretProviderClass", error.Trim());
    }

    [Fact]
    public async Task Run_NonStringParameter_ExitOneNamingIt()
    {
        var (exitCode, _, error) = await RunAsync("kind: SecretProviderClass\nmetadata: {name: x}\nspec:\n  parameters:\n    objects: [a]\n", "-f", "-", "-pod", "shop/app-0");

        Assert.Equal(1, exitCode);
        Assert.Contains("parameter 'objects' must be a string", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AnotherProvidersClass_ExitOneNamingTheProvider()
    {
        var (exitCode, _, error) = await RunAsync(Spc.Replace("provider: openbao", "provider: azure", StringComparison.Ordinal), "-f", "-", "-pod", "shop/app-0");

        Assert.Equal(1, exitCode);
        Assert.Equal(
            "mount: stdin: SecretProviderClass app-secrets is for provider 'azure': the driver sends its mounts to that provider, not to openbao or vault",
            error.Trim());
    }

    [Fact]
    public async Task Run_ClassInAnotherNamespaceThanThePod_ExitOne()
    {
        var (exitCode, _, error) = await RunAsync(Spc.Replace("{name: app-secrets}", "{name: app-secrets, namespace: billing}", StringComparison.Ordinal), "-f", "-", "-pod", "shop/app-0");

        Assert.Equal(1, exitCode);
        Assert.Equal(
            "mount: stdin: SecretProviderClass app-secrets is in namespace billing, but the pod is in shop: the driver only uses classes in the pod's namespace",
            error.Trim());
    }

    [Fact]
    public async Task Run_ManifestFromStdin_ReachesTheMount()
    {
        var token = Write("token", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig");

        var (exitCode, _, error) = await RunAsync(Spc, "-f", "-", "-pod", "shop/app-0", "-token-file", token, "-socket", Path.Combine(_folder, "nobody.sock"));

        Assert.Equal(1, exitCode);
        Assert.Equal($"Mount failed: Unavailable: no provider answers on {Path.Combine(_folder, "nobody.sock")}: nothing is there", error.Trim());
    }

    [Fact]
    public async Task Run_NoTokenFileAndNoCluster_SaysHowToGetAToken()
    {
        var (exitCode, _, error) = await RunAsync(Spc, "-f", "-", "-pod", "shop/app-0");

        Assert.Equal(1, exitCode);
        Assert.StartsWith("mount: no -token-file, and no Kubernetes API to request a token for the pod", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BadUsage_OneLineExitTwo()
    {
        var (exitCode, output, error) = await RunAsync(string.Empty, "-pod", "shop");

        Assert.Equal(2, exitCode);
        Assert.Equal("invalid value \"shop\" for flag -pod: expected NAMESPACE/NAME, such as shop/app-7d9f8", error.Trim());
        Assert.Empty(output);
    }

    [Fact]
    public async Task Run_Help_UsageOnStdoutExitZero()
    {
        var (exitCode, output, _) = await RunAsync(string.Empty, "-help");

        Assert.Equal(0, exitCode);
        Assert.StartsWith("Usage of openbao-csi-provider mount:", output, StringComparison.Ordinal);
    }
}
