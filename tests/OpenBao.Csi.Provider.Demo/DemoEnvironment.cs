using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Csi.Driver.Emulator;
using Grpc.Net.Client;
using OpenBao.Csi.Provider.V1Alpha1;
using OpenBao.Emulator;
using File = System.IO.File;

namespace OpenBao.Csi.Provider.Demo;

/// <summary>
/// An OpenBao emulator seeded with example secrets and the real provider binary serving on a
/// socket in a temp folder, with a driver-like client: what the demo and the benchmark both drive.
/// </summary>
internal sealed class DemoEnvironment : IAsyncDisposable
{
    private readonly DirectoryInfo _workspace;
    private readonly GrpcChannel _channel;

    private DemoEnvironment(OpenBaoEmulator bao, Process provider, DirectoryInfo workspace, string socket)
    {
        Bao = bao;
        Provider = provider;
        _workspace = workspace;
        Socket = socket;
        _channel = DriverChannel.Create(socket);
        Client = new CSIDriverProvider.CSIDriverProviderClient(_channel);
    }

    public OpenBaoEmulator Bao { get; }

    public Process Provider { get; }

    public string Socket { get; }

    public CSIDriverProvider.CSIDriverProviderClient Client { get; }

    public static async Task<DemoEnvironment> StartAsync()
    {
        var workspace = Directory.CreateTempSubdirectory("openbao-csi-demo-");
        var bao = await OpenBaoEmulator.StartAsync();
        Seed(bao);
        var keyFile = Path.Combine(workspace.FullName, "version-key");
        await File.WriteAllBytesAsync(keyFile, RandomNumberGenerator.GetBytes(32));
        var socket = Path.Combine(workspace.FullName, "openbao.sock");
        var provider = StartProvider(socket, bao.Address, keyFile);
        var environment = new DemoEnvironment(bao, provider, workspace, socket);
        await environment.WaitForSocketAsync();
        return environment;
    }

    /// <summary>A pod of the shop namespace whose SecretProviderClass lists <paramref name="objects"/>.</summary>
    public DriverMount PodMount(string objects)
    {
        var mount = new DriverMount { Namespace = "shop", ServiceAccount = "app", PodName = $"shop-{Guid.NewGuid().ToString()[..5]}" }
            .WithParameter("roleName", "app")
            .WithParameter("objects", objects);
        mount.Tokens["openbao"] = Bao.Issuer.Mint("shop", "app", ["openbao"], TimeSpan.FromMinutes(10), mount.PodName, mount.PodUid);
        return mount;
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        if (!Provider.HasExited)
        {
            // SIGTERM, as the kubelet sends: the provider drains and removes its socket.
            using var kill = Process.Start("kill", ["-TERM", Provider.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            if (!Provider.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                Provider.Kill();
            }
        }

        Provider.Dispose();
        await Bao.DisposeAsync();
        _workspace.Delete(recursive: true);
    }

    private static void Seed(OpenBaoEmulator bao)
    {
        bao.EnableKvV2("secret");
        bao.PutKvV2("secret", "shop/db", new Dictionary<string, object?> { ["username"] = "shop", ["password"] = "initial-password" });
        bao.EnablePki();
        bao.AddPkiRole("web", ["example.com"], allowSubdomains: true);
        bao.PutKvV2("secret", "shop/api", new Dictionary<string, object?> { ["key"] = "initial-api-key" });
        bao.EnableDatabase();
        // Short leases so the rotation benchmark sees renewals within seconds.
        bao.AddDatabaseRole("shop-db", TimeSpan.FromSeconds(6), TimeSpan.FromHours(1));
        bao.AddPolicy(
            "shop-read",
            new PolicyRule("secret/data/shop/*", "read"),
            new PolicyRule("pki/issue/web", "create", "update"),
            new PolicyRule("database/creds/shop-db", "read"));
        bao.EnableKubernetesAuth();
        bao.AddKubernetesRole("kubernetes", "app", new KubernetesRole(["app"], ["shop"], ["shop-read"], TimeSpan.FromMinutes(20)));
    }

    private static Process StartProvider(string socket, Uri openBao, string keyFile)
    {
        // PROVIDER_BINARY measures another build of the provider, e.g. the NativeAOT one the image ships.
        var directory = AppContext.BaseDirectory;
        var apphost = Environment.GetEnvironmentVariable("PROVIDER_BINARY") ?? Path.Combine(directory, "openbao-csi-provider");
        var start = File.Exists(apphost)
            ? new ProcessStartInfo(apphost)
            : new ProcessStartInfo("dotnet", [Path.Combine(directory, "openbao-csi-provider.dll")]);
        foreach (var argument in new[] { $"-endpoint={socket}", $"-openbao-addr={openBao}", $"-hmac-key-file={keyFile}", "-health-addr=", "-log-level=error" })
        {
            start.ArgumentList.Add(argument);
        }

        // Hermetic: the machine's kubeconfig, if any, is not the demo's cluster.
        start.Environment["KUBECONFIG"] = "/nonexistent";
        return Process.Start(start) ?? throw new InvalidOperationException("could not start openbao-csi-provider");
    }

    private async Task WaitForSocketAsync()
    {
        var waited = Stopwatch.StartNew();
        while (!File.Exists(Socket))
        {
            if (Provider.HasExited || waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"the provider did not create {Socket} (exited: {Provider.HasExited})");
            }

            await Task.Delay(20);
        }
    }
}
