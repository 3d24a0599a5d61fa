using Csi.Driver.Emulator;
using Grpc.Core;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenBao.Csi.Provider.IntegrationTests.Infrastructure;
using OpenBao.Emulator;

namespace OpenBao.Csi.Provider.IntegrationTests;

/// <summary>What the provider does when OpenBao, or something pretending to be it, misbehaves at the HTTP level.</summary>
[Collection(ProviderCollection.Name)]
public sealed class ConnectionHardeningTests(ProviderFixture fixture)
{
    /// <summary>A standby that cannot forward answers 307 with the active node's api_addr, another host: the Go providers go there.</summary>
    [Fact]
    public async Task Redirect_FromAStandbyToTheActiveNode_Followed()
    {
        await using var standby = await RecordingServer.StartAsync(307, request => new Uri(fixture.Bao.Address, request.Path + request.QueryString).ToString());
        var mount = fixture.ShopMount(ProviderFixture.PasswordObject).WithParameter("baoAddress", standby.Address.ToString());

        var response = await fixture.MountAsync(mount);

        Assert.Equal(fixture.DbPassword, response.Files.Single().Contents.ToStringUtf8());
        Assert.Equal(["/v1/auth/kubernetes/login", "/v1/secret/data/shop/db"], standby.Requests.Select(request => request.Path));
    }

    [Fact]
    public async Task Response_AboveTheLimit_ResourceExhaustedNamingIt()
    {
        await using var provider = await ProviderProcess.StartAsync(fixture.Logs, options =>
        {
            options.OpenBaoAddress = fixture.Bao.Address;
            options.OpenBaoMaxResponseBytes = 64 * 1024;
        });
        fixture.Bao.PutKvV2("secret", "shop/huge", new Dictionary<string, object?> { ["blob"] = new string('x', 100 * 1024) });
        var mount = fixture.ShopMount("- objectName: blob\n  secretPath: secret/data/shop/huge\n  secretKey: blob");

        var error = await Assert.ThrowsAsync<RpcException>(async () => await provider.Client.MountAsync(mount.ToRequest()));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("object 'blob'", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("limit of 65536 bytes (-openbao-max-response-bytes)", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_CaFileReplacedOnDisk_UsedWithoutRestart()
    {
        await using var tlsBao = await OpenBaoEmulator.StartAsync(new EmulatorOptions { UseTls = true });
        await using var otherBao = await OpenBaoEmulator.StartAsync(new EmulatorOptions { UseTls = true });
        var value = fixture.NewSecret("rotated-ca-");
        ProviderFixture.SeedShopPassword(tlsBao, value);
        var caPath = Path.Combine(Directory.CreateTempSubdirectory("openbao-ca-").FullName, "ca.pem");
        await File.WriteAllTextAsync(caPath, otherBao.CaCertificatePem);
        var clock = new ManualTimeProvider();
        await using var provider = await ProviderProcess.StartAsync(
            fixture.Logs,
            options =>
            {
                options.OpenBaoAddress = tlsBao.Address;
                options.OpenBaoTls = new(CaCertPath: caPath);
            },
            services => services.AddSingleton<TimeProvider>(clock));
        DriverMount Mount()
        {
            var mount = new DriverMount().WithParameter("roleName", "app").WithParameter("objects", ProviderFixture.PasswordObject);
            mount.Tokens["openbao"] = fixture.Witness.Remember(tlsBao.Issuer.Mint("shop", "app", ["openbao"], TimeSpan.FromMinutes(10)));
            return mount;
        }

        var untrusted = await Assert.ThrowsAsync<RpcException>(async () => await provider.Client.MountAsync(Mount().ToRequest()));
        await File.WriteAllTextAsync(caPath, tlsBao.CaCertificatePem);
        File.SetLastWriteTimeUtc(caPath, DateTime.UtcNow.AddMinutes(1));
        clock.Advance(TimeSpan.FromSeconds(5));
        var response = await provider.Client.MountAsync(Mount().ToRequest());

        Assert.Equal(StatusCode.Aborted, untrusted.StatusCode);
        Assert.Equal(value, response.Files.Single().Contents.ToStringUtf8());
        Assert.Contains(fixture.Logs.Lines, line => line.Contains("TLS files for OpenBao changed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MountTimeout_SlowOpenBao_DeadlineExceededNamingTheSlowStep()
    {
        // An OpenBao that answers logins at once (unless told to hold them) and holds every read until the caller gives up.
        var holdLogins = false;
        var held = Channel.CreateUnbounded<string>();
        using var release = new CancellationTokenSource();
        await using var slowBao = await RecordingServer.StartAsync(async context =>
        {
            var path = context.Request.Path.Value!;
            if (path.EndsWith("/login", StringComparison.Ordinal) && !holdLogins)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"auth":{"client_token":"s.AAAAAAAAAAAAAAAAAAAAAAAA","lease_duration":3600,"renewable":true}}""");
                return;
            }

            await held.Writer.WriteAsync(path);
            // Held until the client gives up or the test lets go: a wait on a signal, not on time.
            var letGo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (context.RequestAborted.Register(() => letGo.TrySetResult()))
            using (release.Token.Register(() => letGo.TrySetResult()))
            {
                await letGo.Task;
            }

            context.Response.StatusCode = StatusCodes.Status400BadRequest;
        });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var provider = await ProviderProcess.StartAsync(
            fixture.Logs,
            options =>
            {
                options.OpenBaoAddress = slowBao.Address;
                options.MountTimeout = TimeSpan.FromSeconds(90);
            },
            services => services.AddSingleton<TimeProvider>(clock));
        async Task<RpcException> MountUntilTheBudgetIsSpentAsync(DriverMount mount)
        {
            var call = provider.Client.MountAsync(mount.ToRequest()).ResponseAsync;
            await held.Reader.ReadAsync();
            clock.Advance(TimeSpan.FromSeconds(90));
            return await Assert.ThrowsAsync<RpcException>(() => call);
        }

        var duringRead = await MountUntilTheBudgetIsSpentAsync(fixture.ShopMount(ProviderFixture.PasswordObject));
        holdLogins = true;
        var duringLogin = await MountUntilTheBudgetIsSpentAsync(fixture.ShopMount(ProviderFixture.PasswordObject));
        var callerDeadline = await Assert.ThrowsAsync<RpcException>(async () =>
            await provider.Client.MountAsync(fixture.ShopMount(ProviderFixture.PasswordObject).ToRequest(), deadline: DateTime.UtcNow.AddMilliseconds(200)));

        Assert.Equal(StatusCode.DeadlineExceeded, duringRead.StatusCode);
        Assert.Equal($"the mount did not finish within -mount-timeout (90s): it was reading GET secret/data/shop/db at {slowBao.Address}", duringRead.Status.Detail);
        Assert.Equal(StatusCode.DeadlineExceeded, duringLogin.StatusCode);
        Assert.Equal($"the mount did not finish within -mount-timeout (90s): it was logging in to OpenBao at {slowBao.Address} (role 'app' on auth mount 'kubernetes')", duringLogin.Status.Detail);
        Assert.Equal(StatusCode.DeadlineExceeded, callerDeadline.StatusCode);
        release.Cancel();
    }

    [Fact]
    public async Task Failover_PrimarySealed_ServedByTheFailoverThenBackToThePrimary()
    {
        await using var primary = await OpenBaoEmulator.StartAsync();
        await using var failover = await OpenBaoEmulator.StartAsync(new EmulatorOptions { Issuer = primary.Issuer });
        var onPrimary = fixture.NewSecret("primary-");
        var onFailover = fixture.NewSecret("failover-");
        ProviderFixture.SeedShopPassword(primary, onPrimary);
        ProviderFixture.SeedShopPassword(failover, onFailover);
        var mount = new DriverMount()
            .WithParameter("roleName", ProviderFixture.ShopRole)
            .WithParameter("objects", ProviderFixture.PasswordObject)
            .WithParameter("baoAddress", primary.Address.ToString())
            .WithParameter("baoFailoverAddress", failover.Address.ToString());
        mount.Tokens["openbao"] = fixture.Witness.Remember(primary.Issuer.Mint("shop", "app", ["openbao"], TimeSpan.FromMinutes(10)));

        primary.Seal();
        var whileSealed = await fixture.MountAsync(mount);
        primary.Unseal();
        var afterUnseal = await fixture.MountAsync(mount);
        primary.FailNext(1, 500, "/v1/secret/", "1 error occurred:\n\t* storage backend unavailable\n\n");
        var whileFailing = await fixture.MountAsync(mount);

        Assert.Equal(onFailover, whileSealed.Files.Single().Contents.ToStringUtf8());
        Assert.Equal(onPrimary, afterUnseal.Files.Single().Contents.ToStringUtf8());
        Assert.Equal(onFailover, whileFailing.Files.Single().Contents.ToStringUtf8());
        Assert.Equal(1, failover.GetTokenStatistics().Logins);
        Assert.Contains(fixture.Logs.Lines, line => line.Contains($"mounting from failover {failover.Address}", StringComparison.Ordinal));
    }

    /// <summary>An administrator's seal or lock of one namespace is a decision, not an outage: asking again or asking the failover would work around it.</summary>
    [Theory]
    [InlineData(false, "namespace is sealed")]
    [InlineData(true, "API access to this namespace has been locked by an administrator - \"team-a/\" must be unlocked to gain access.")]
    public async Task NamespaceClosedByAnAdministrator_FailedPreconditionWithoutRetryOrFailover(bool locked, string openBaoSays)
    {
        const string ns = ProviderFixture.TeamNamespace;
        await using var primary = await OpenBaoEmulator.StartAsync();
        await using var failover = await OpenBaoEmulator.StartAsync(new EmulatorOptions { Issuer = primary.Issuer });
        primary.AddNamespace(ns);
        primary.EnableKvV2("secret", ns);
        primary.PutKvV2("secret", "team/api", new Dictionary<string, object?> { ["token"] = fixture.NewSecret("team-") }, ns);
        primary.AddPolicy("team-read", [new PolicyRule("secret/data/team/*", "read")], ns);
        primary.EnableKubernetesAuth("kubernetes", ns);
        foreach (var role in (string[])[ProviderFixture.ShopRole, "later"])
        {
            primary.AddKubernetesRole("kubernetes", role, new KubernetesRole(["app"], ["shop"], ["team-read"], TimeSpan.FromMinutes(20), Audience: "openbao"), ns);
        }

        DriverMount Mount(string role)
        {
            var mount = new DriverMount()
                .WithParameter("roleName", role)
                .WithParameter("objects", "- objectName: token\n  secretPath: secret/data/team/api\n  secretKey: token")
                .WithParameter("baoAddress", primary.Address.ToString())
                .WithParameter("baoNamespace", ns)
                .WithParameter("baoFailoverAddress", failover.Address.ToString());
            mount.Tokens["openbao"] = fixture.Witness.Remember(primary.Issuer.Mint("shop", "app", ["openbao"], TimeSpan.FromMinutes(10)));
            return mount;
        }

        void Close(bool closed)
        {
            if (locked)
            {
                primary.LockNamespace(ns, closed);
            }
            else
            {
                primary.SealNamespace(ns, closed);
            }
        }

        var polled = Mount(ProviderFixture.ShopRole);
        await fixture.MountAsync(polled);
        Close(true);
        primary.ClearRequests();
        var onRead = await Assert.ThrowsAsync<RpcException>(() => fixture.MountAsync(polled));
        var reads = primary.CountRequests("GET", "/v1/secret/data/team/api");
        var onLogin = await Assert.ThrowsAsync<RpcException>(() => fixture.MountAsync(Mount("later")));
        var logins = primary.CountRequests("POST", "/v1/auth/kubernetes/login");
        Close(false);
        var reopened = await fixture.MountAsync(Mount("later"));

        Assert.Equal(StatusCode.FailedPrecondition, onRead.StatusCode);
        Assert.Contains(openBaoSays, onRead.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("an OpenBao administrator sealed or locked this namespace", onRead.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.FailedPrecondition, onLogin.StatusCode);
        Assert.Contains(openBaoSays, onLogin.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("an OpenBao administrator sealed or locked this namespace", onLogin.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(1, reads);
        Assert.Equal(1, logins);
        Assert.Empty(failover.Requests);
        Assert.Single(reopened.Files);
    }

    [Fact]
    public async Task Failover_FromFlag_PrimaryUnreachable()
    {
        await using var failover = await OpenBaoEmulator.StartAsync(new EmulatorOptions { Issuer = fixture.Bao.Issuer, TimeProvider = fixture.Clock });
        var value = fixture.NewSecret("failover-flag-");
        ProviderFixture.SeedShopPassword(failover, value);
        await using var unreachable = await RecordingServer.StartAsync(200);
        var closedPort = unreachable.Address;
        await unreachable.DisposeAsync();
        await using var provider = await ProviderProcess.StartAsync(fixture.Logs, options =>
        {
            options.OpenBaoAddress = closedPort;
            options.OpenBaoFailoverAddress = failover.Address;
        });

        var response = await provider.Client.MountAsync(fixture.ShopMount(ProviderFixture.PasswordObject).ToRequest());

        Assert.Equal(value, response.Files.Single().Contents.ToStringUtf8());
    }

    [Fact]
    public async Task Failover_RefusalIsNotAnOutage_NoFailover()
    {
        await using var failover = await OpenBaoEmulator.StartAsync(new EmulatorOptions { Issuer = fixture.Bao.Issuer, TimeProvider = fixture.Clock });
        ProviderFixture.SeedShopPassword(failover, fixture.NewSecret("never-"));
        var mount = fixture.ShopMount("- objectName: other\n  secretPath: secret/data/team/db\n  secretKey: password")
            .WithParameter("baoFailoverAddress", failover.Address.ToString());

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.MountAsync(mount));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(0, failover.GetTokenStatistics().Logins);
    }
}
