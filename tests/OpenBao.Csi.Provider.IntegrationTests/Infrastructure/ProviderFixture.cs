using Csi.Driver.Emulator;
using System.Security.Cryptography;
using Grpc.Core;
using OpenBao.Emulator;
using OpenBao.Csi.Provider.V1Alpha1;

namespace OpenBao.Csi.Provider.IntegrationTests.Infrastructure;

/// <summary>
/// One OpenBao emulator seeded like a small multi-tenant cluster, and one provider host in front
/// of it. Disposing it fails the run if any secret, JWT or token reached the provider's logs.
/// </summary>
public sealed class ProviderFixture : IAsyncLifetime
{
    public const string ShopRole = "app";

    /// <summary>
    /// A role bound to the API server's own audience: what OpenBao asks roles to name when the driver has no
    /// tokenRequests and the Go providers log in with tokens for the API server.
    /// </summary>
    public const string ApiServerAudienceRole = "app-apiserver-aud";
    public const string TeamNamespace = "team-a";

    /// <summary>The SecretProviderClass most tests mount: the shop database password as file "pw".</summary>
    public const string PasswordObject = "- objectName: pw\n  secretPath: secret/data/shop/db\n  secretKey: password";

    internal CapturedLogs Logs { get; } = new();

    internal SecretWitness Witness { get; } = new();

    internal ManualTimeProvider Clock { get; } = new();

    internal OpenBaoEmulator Bao { get; private set; } = null!;

    internal ProviderProcess Provider { get; private set; } = null!;

    internal string DbPassword { get; private set; } = null!;

    internal string DbUsername { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Bao = await OpenBaoEmulator.StartAsync(new EmulatorOptions { TimeProvider = Clock });
        Witness.Remember(Bao.RootToken);
        Seed();
        Provider = await ProviderProcess.StartAsync(Logs, options => options.OpenBaoAddress = Bao.Address);
    }

    public async Task DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Bao.DisposeAsync();
        Witness.ThrowIfLeaked(Logs.Lines);
    }

    /// <summary>A random value remembered as secret, so the leak check looks for it.</summary>
    internal string NewSecret(string prefix = "") => Witness.Remember(prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)));

    internal string Jwt(string @namespace = "shop", string serviceAccount = "app", string audience = "openbao") =>
        Witness.Remember(Bao.Issuer.Mint(@namespace, serviceAccount, [audience], TimeSpan.FromMinutes(10), "app-7d9f8", Guid.NewGuid().ToString()));

    /// <summary>A second OpenBao holding only what the shop pod's password mount needs: KV v2, a policy and the kubernetes role.</summary>
    internal static void SeedShopPassword(OpenBaoEmulator bao, string password)
    {
        bao.EnableKvV2("secret");
        bao.PutKvV2("secret", "shop/db", new Dictionary<string, object?> { ["password"] = password });
        bao.AddPolicy("shop-read", new PolicyRule("secret/data/shop/*", "read"));
        bao.EnableKubernetesAuth();
        bao.AddKubernetesRole("kubernetes", ShopRole, new KubernetesRole(["app"], ["shop"], ["shop-read"], TimeSpan.FromMinutes(20), Audience: "openbao"));
    }

    /// <summary>A mount for the shop pod with a driver token for the default audience.</summary>
    internal DriverMount ShopMount(string objects)
    {
        var mount = new DriverMount().WithParameter("roleName", ShopRole).WithParameter("objects", objects);
        mount.Tokens["openbao"] = Jwt();
        return mount;
    }

    internal async Task<MountResponse> MountAsync(DriverMount mount, Metadata? headers = null, DateTime? deadline = null)
    {
        try
        {
            return await Provider.Client.MountAsync(mount.ToRequest(), headers, deadline);
        }
        catch (RpcException ex)
        {
            Logs.Add($"RpcException to driver: {ex.Status.Detail}");
            throw;
        }
    }

    private void Seed()
    {
        Bao.EnableKvV2("secret");
        Bao.EnableKvV1("kv");
        DbUsername = NewSecret("user-");
        DbPassword = NewSecret("pw-");
        Bao.PutKvV2("secret", "shop/db", new Dictionary<string, object?> { ["username"] = DbUsername, ["password"] = DbPassword });
        Bao.PutKvV2("secret", "bank/vault", new Dictionary<string, object?> { ["gold"] = NewSecret("gold-") });
        Bao.PutKvV1("kv", "shop/config", new Dictionary<string, object?> { ["api-key"] = NewSecret("api-"), ["port"] = 8443 });

        Bao.EnableDatabase();
        Bao.AddDatabaseRole("shop-db", TimeSpan.FromHours(1), TimeSpan.FromHours(24));
        Bao.EnablePki();
        Bao.AddPkiRole("web", ["example.com"], allowSubdomains: true);
        Bao.EnableTransit();
        Bao.AddTransitKey("shop");

        Bao.AddPolicy(
            "shop-read",
            new PolicyRule("secret/data/shop/*", "read"),
            new PolicyRule("kv/shop/*", "read"),
            new PolicyRule("database/creds/shop-db", "read"),
            new PolicyRule("pki/issue/web", "create", "update"),
            new PolicyRule("transit/decrypt/shop", "update"));

        Bao.EnableKubernetesAuth();
        Bao.AddKubernetesRole("kubernetes", ShopRole, new KubernetesRole(["app"], ["shop"], ["shop-read"], TimeSpan.FromMinutes(20), Audience: "openbao"));
        Bao.AddKubernetesRole("kubernetes", "custom-aud", new KubernetesRole(["app"], ["shop"], ["shop-read"], TimeSpan.FromMinutes(20), Audience: "custom"));
        Bao.AddKubernetesRole("kubernetes", ApiServerAudienceRole, new KubernetesRole(["app"], ["shop"], ["shop-read"], TimeSpan.FromMinutes(20), Audience: "https://kubernetes.default.svc.cluster.local"));
        Bao.EnableJwtAuth();
        Bao.AddJwtRole("jwt", "app-jwt", new JwtRole(["openbao"], "sub", ["shop-read"], TimeSpan.FromMinutes(20), BoundSubject: "system:serviceaccount:shop:app"));

        Bao.AddNamespace(TeamNamespace);
        Bao.EnableKvV2("secret", TeamNamespace);
        Bao.PutKvV2("secret", "team/api", new Dictionary<string, object?> { ["token"] = NewSecret("team-") }, TeamNamespace);
        Bao.EnableKubernetesAuth("kubernetes", TeamNamespace);
        Bao.AddPolicy("team-read", [new PolicyRule("secret/data/team/*", "read")], TeamNamespace);
        Bao.AddKubernetesRole("kubernetes", ShopRole, new KubernetesRole(["app"], ["shop"], ["team-read"], TimeSpan.FromMinutes(20), Audience: "openbao"), TeamNamespace);
    }
}

[CollectionDefinition(Name)]
public sealed class ProviderCollection : ICollectionFixture<ProviderFixture>
{
    public const string Name = "provider";
}
