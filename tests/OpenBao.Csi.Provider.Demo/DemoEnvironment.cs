using System.Diagnostics;
using System.Security.Cryptography;
using Csi.Driver.Emulator;
using OpenBao.Csi.Provider.V1Alpha1;
using OpenBao.Emulator;
using File = System.IO.File;

namespace OpenBao.Csi.Provider.Demo;

/// <summary>
/// An OpenBao emulator seeded with example secrets and the real provider binary serving on a
/// socket in a temp folder, with a driver-like client: what the demo and the benchmarks drive.
/// </summary>
internal sealed class DemoEnvironment : IAsyncDisposable
{
    private readonly DirectoryInfo _workspace;
    private readonly string _keyFile;
    private readonly ProviderProcess _provider;

    private DemoEnvironment(OpenBaoEmulator bao, string binary, DirectoryInfo workspace, string keyFile)
    {
        Bao = bao;
        Binary = binary;
        _workspace = workspace;
        _keyFile = keyFile;
        _provider = StartProvider("openbao");
    }

    /// <summary>The audience the demo's OpenBao role requires of service-account tokens.</summary>
    public const string Audience = "openbao";

    private const string PodNamespace = "shop";
    private const string ServiceAccount = "app";

    public OpenBaoEmulator Bao { get; }

    /// <summary>The provider build every process of this environment runs.</summary>
    public string Binary { get; }

    public Process Provider => _provider.Process;

    public ProviderProcess MainProvider => _provider;

    public string Socket => _provider.Socket;

    public CSIDriverProvider.CSIDriverProviderClient Client => _provider.Client;

    /// <param name="providerBinary">The provider to run, e.g. the NativeAOT build; by default <see cref="ProviderProcess.DefaultBinary"/>.</param>
    public static async Task<DemoEnvironment> StartAsync(string? providerBinary = null)
    {
        var workspace = Directory.CreateTempSubdirectory("openbao-csi-demo-");
        var bao = await OpenBaoEmulator.StartAsync();
        Seed(bao);
        var keyFile = Path.Combine(workspace.FullName, "version-key");
        await File.WriteAllBytesAsync(keyFile, RandomNumberGenerator.GetBytes(32));
        var environment = new DemoEnvironment(bao, providerBinary ?? ProviderProcess.DefaultBinary(), workspace, keyFile);
        try
        {
            await environment._provider.WaitUntilServingAsync();
            return environment;
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Another provider process (this environment's build unless named) with the same version key, on <c>{name}.sock</c>,
    /// against this environment's OpenBao unless <paramref name="openBao"/> names another; the caller disposes it.
    /// </summary>
    public ProviderProcess StartProvider(string name, string? binary = null, Uri? openBao = null) =>
        ProviderProcess.Start(binary ?? Binary, Path.Combine(_workspace.FullName, name + ".sock"), openBao ?? Bao.Address, _keyFile);

    /// <summary>
    /// A provider of this environment's build (unless named) against <paramref name="bao"/>, once it has mounted a pod and released its
    /// start-up memory: that one-off compacting collection would otherwise land on timed mounts.
    /// </summary>
    public async Task<ProviderProcess> StartSettledProviderAsync(string name, OpenBaoProcess bao, string? binary = null)
    {
        var provider = StartProvider(name, binary, bao.Address);
        try
        {
            await provider.WaitUntilServingAsync();
            await provider.Client.MountAsync((await bao.PodMountAsync(BenchmarkSecrets.Objects(BenchmarkSecrets.Paths(1)))).ToRequest());
            await provider.StartupMemoryReleasedAsync();
            return provider;
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }

    /// <summary>A pod of the shop namespace whose SecretProviderClass lists <paramref name="objects"/>.</summary>
    public DriverMount PodMount(string objects)
    {
        var mount = NewPodMount(objects);
        mount.Tokens[Audience] = MintToken(Bao, mount.PodName, mount.PodUid);
        return mount;
    }

    /// <summary>A token of the demo's service account for the demo's audience, bound to a pod when one is named.</summary>
    public static string MintToken(OpenBaoEmulator bao, string? podName = null, string? podUid = null) =>
        bao.Issuer.Mint(PodNamespace, ServiceAccount, [Audience], TimeSpan.FromMinutes(10), podName, podUid);

    /// <summary>A pod of the shop namespace whose SecretProviderClass lists <paramref name="objects"/>, without its token yet.</summary>
    public static DriverMount NewPodMount(string objects) =>
        new DriverMount { Namespace = PodNamespace, ServiceAccount = ServiceAccount, PodName = $"shop-{Guid.NewGuid().ToString()[..5]}" }
            .WithParameter("roleName", "app")
            .WithParameter("objects", objects);

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await Bao.DisposeAsync();
        _workspace.Delete(recursive: true);
    }

    /// <summary>The demo's secrets, engines, policy and Kubernetes auth role.</summary>
    public static void Seed(OpenBaoEmulator bao)
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
        bao.AddKubernetesRole("kubernetes", "app", new KubernetesRole(["app"], ["shop"], ["shop-read"], TimeSpan.FromMinutes(20), Audience: Audience));
    }
}
