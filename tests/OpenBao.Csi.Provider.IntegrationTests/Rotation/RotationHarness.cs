using Csi.Driver.Emulator;
using Microsoft.Extensions.DependencyInjection;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.Fetching;
using OpenBao.Csi.Provider.Hosting;
using OpenBao.Csi.Provider.IntegrationTests.Infrastructure;
using OpenBao.Csi.Provider.Renewal;
using OpenBao.Csi.Provider.V1Alpha1;
using OpenBao.Emulator;

namespace OpenBao.Csi.Provider.IntegrationTests.Rotation;

/// <summary>
/// An emulator and a provider host sharing one fake clock, with the background renewal loop off so
/// a test runs each pass itself: polls and renewals happen exactly when the test says.
/// </summary>
internal sealed class RotationHarness : IAsyncDisposable
{
    public const string Role = "app";
    public const string DynamicObjects =
        "- objectName: db-user\n  secretPath: database/creds/shop-db\n  secretKey: username\n" +
        "- objectName: db-pass\n  secretPath: database/creds/shop-db\n  secretKey: password\n";
    public const string KvObject = "- objectName: api\n  secretPath: secret/data/shop/api\n  secretKey: key\n";

    private RotationHarness(OpenBaoEmulator bao, ProviderProcess provider, CapturedLogs logs)
    {
        Bao = bao;
        Provider = provider;
        Logs = logs;
    }

    public ManualTimeProvider Clock => (ManualTimeProvider)Provider.Services.GetRequiredService<TimeProvider>();

    public OpenBaoEmulator Bao { get; }

    public ProviderProcess Provider { get; }

    public CapturedLogs Logs { get; }

    public SecretWitness Witness { get; } = new();

    public LeaseStatistics DatabaseLeases => Bao.GetLeaseStatistics("database/creds/");

    public int CachedTokens => Provider.Services.GetRequiredService<TokenCache>().Count;

    public int CachedSecrets => Provider.Services.GetRequiredService<LeaseCache>().Count;

    public static async Task<RotationHarness> StartAsync(
        KubernetesRole? role = null,
        TimeSpan? databaseTtl = null,
        TimeSpan? databaseMaxTtl = null,
        Action<ProviderOptions>? configure = null)
    {
        var clock = new ManualTimeProvider();
        var bao = await OpenBaoEmulator.StartAsync(new EmulatorOptions { TimeProvider = clock });
        bao.EnableKvV2("secret");
        bao.PutKvV2("secret", "shop/api", new Dictionary<string, object?> { ["key"] = "v1" });
        bao.EnableDatabase();
        bao.AddDatabaseRole("shop-db", databaseTtl ?? TimeSpan.FromHours(1), databaseMaxTtl ?? TimeSpan.FromHours(24));
        bao.AddPolicy("shop", new PolicyRule("secret/data/shop/*", "read"), new PolicyRule("database/creds/shop-db", "read"));
        bao.EnableKubernetesAuth();
        bao.AddKubernetesRole("kubernetes", Role, role ?? new KubernetesRole(["app"], ["shop"], ["shop"], TimeSpan.FromMinutes(20), Audience: "openbao"));

        var logs = new CapturedLogs();
        var revoke = true;
        var provider = await ProviderProcess.StartAsync(
            logs,
            options =>
            {
                options.OpenBaoAddress = bao.Address;
                options.RenewalInterval = Timeout.InfiniteTimeSpan;
                configure?.Invoke(options);
                revoke = options.RevokeTokens;
            },
            services =>
            {
                services.AddSingleton<TimeProvider>(clock);
                services.AddSingleton(sp => new ObservedRetirement(
                    new CredentialReaper(sp.GetRequiredService<LeaseCache>(), sp.GetRequiredService<TokenRevoker>(), revoke)));
                services.AddSingleton<ITokenRetirement>(sp => sp.GetRequiredService<ObservedRetirement>());
            });
        return new RotationHarness(bao, provider, logs);
    }

    /// <summary>A Mount as the driver sends it on every poll: a fresh service-account token each time.</summary>
    public async Task<MountResponse> PollAsync(string objects, string podUid = "uid-1", string podName = "app-1")
    {
        var mount = new DriverMount { PodUid = podUid, PodName = podName }
            .WithParameter("roleName", Role)
            .WithParameter("objects", objects);
        mount.Tokens["openbao"] = Witness.Remember(Bao.Issuer.Mint("shop", "app", ["openbao"], TimeSpan.FromMinutes(10), podName, podUid));
        var response = await Provider.Client.MountAsync(mount.ToRequest());
        foreach (var file in response.Files)
        {
            Witness.Remember(file.Contents.ToStringUtf8());
        }

        return response;
    }

    /// <summary>
    /// Completes once the provider has released <paramref name="podUid"/>'s tokens because the pod is gone
    /// and their revocation has finished; fails after a generous bound instead of hanging the run.
    /// </summary>
    public async Task PodGoneAsync(string podUid)
    {
        await Provider.Services.GetRequiredService<ObservedRetirement>().PodGoneAsync(podUid).WaitAsync(TimeSpan.FromSeconds(15));
        await Provider.Services.GetRequiredService<TokenRevoker>().DrainAsync(CancellationToken.None);
    }

    /// <summary>Moves the clock, then runs the background pass the provider would have run meanwhile.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        await Provider.Services.GetRequiredService<RenewalService>().RunOnceAsync(CancellationToken.None);
        await Provider.Services.GetRequiredService<TokenRevoker>().DrainAsync(CancellationToken.None);
    }

    public static string Version(MountResponse response, string id) => response.ObjectVersion.Single(v => v.Id == id).Version;

    public static string Contents(MountResponse response, string path) => response.Files.Single(f => f.Path == path).Contents.ToStringUtf8();

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Bao.DisposeAsync();
        Witness.ThrowIfLeaked(Logs.Lines);
    }
}
