using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using System.Net;
using Csi.Driver.Emulator;
using Grpc.Core;
using OpenBao.Csi.Provider.IntegrationTests.Infrastructure;
using OpenBao.Csi.Provider.V1Alpha1;
using File = System.IO.File;
using OpenBao.Emulator;

namespace OpenBao.Csi.Provider.IntegrationTests;

/// <summary>The host's own behaviour: socket lifecycle, health, shutdown and TLS to OpenBao.</summary>
[Collection(ProviderCollection.Name)]
public sealed class HostTests(ProviderFixture fixture)
{
    [Fact]
    public void Socket_IsCreatedOwnerOnly()
    {
        var mode = File.GetUnixFileMode(fixture.Provider.SocketPath);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    public void Host_WatchesNoConfigurationFiles()
    {
        var configuration = (IConfigurationRoot)fixture.Provider.Services.GetRequiredService<IConfiguration>();
        var files = configuration.Providers.OfType<FileConfigurationProvider>().ToList();

        Assert.All(files, file => Assert.False(file.Source.ReloadOnChange, $"{file.Source.Path} is watched for changes"));
        Assert.Equal(AppContext.BaseDirectory, fixture.Provider.Services.GetRequiredService<IHostEnvironment>().ContentRootPath);
    }

    [Fact]
    public async Task Health_ReadyAndLiveOnTcp_GrpcOnlyOnSocket()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Provider.HealthPort}") };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/v1alpha1.CSIDriverProvider/Version", null)).StatusCode);
    }

    [Fact]
    public async Task Stop_InFlightMountFinishes_ThenSocketIsRemoved()
    {
        await using var provider = await ProviderProcess.StartAsync(fixture.Logs, options => options.OpenBaoAddress = fixture.Bao.Address);
        var mount = fixture.ShopMount(ProviderFixture.PasswordObject);
        fixture.Bao.ClearRequests();
        fixture.Bao.Latency = TimeSpan.FromMilliseconds(700);
        try
        {
            var inFlight = provider.Client.MountAsync(mount.ToRequest()).ResponseAsync;
            // Once OpenBao answers the login, the mount is in the provider and its read is still to come.
            await fixture.Bao.WhenRequestedAsync("POST", "/v1/auth/kubernetes/login").WaitAsync(TimeSpan.FromSeconds(60));
            var stopping = provider.StopAsync();

            var response = await inFlight;
            await stopping;

            Assert.Equal(fixture.DbPassword, response.Files.Single().Contents.ToStringUtf8());
            Assert.False(File.Exists(provider.SocketPath));
        }
        finally
        {
            fixture.Bao.Latency = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task Tls_CaFromSecretProviderClass_VerifiesOpenBao()
    {
        await using var tlsBao = await OpenBaoEmulator.StartAsync(new EmulatorOptions { UseTls = true });
        var value = fixture.NewSecret("tls-");
        ProviderFixture.SeedShopPassword(tlsBao, value);
        var caPath = Path.Combine(Path.GetTempPath(), $"openbao-ca-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(caPath, tlsBao.CaCertificatePem);
        try
        {
            var mount = new DriverMount()
                .WithParameter("roleName", "app")
                .WithParameter("objects", ProviderFixture.PasswordObject)
                .WithParameter("baoAddress", tlsBao.Address.ToString());
            mount.Tokens["openbao"] = fixture.Witness.Remember(tlsBao.Issuer.Mint("shop", "app", ["openbao"], TimeSpan.FromMinutes(10)));

            var untrusted = await Assert.ThrowsAsync<RpcException>(() => fixture.MountAsync(mount));
            mount.WithParameter("baoCACertPath", caPath);
            var response = await fixture.MountAsync(mount);
            mount.WithParameter("baoTLSServerName", "localhost");
            var byServerName = await fixture.MountAsync(mount);
            mount.WithParameter("baoTLSServerName", "openbao.elsewhere.example");
            var wrongName = await Assert.ThrowsAsync<RpcException>(() => fixture.MountAsync(mount));

            Assert.Equal(StatusCode.Aborted, untrusted.StatusCode);
            Assert.Contains("SSL", untrusted.Status.Detail, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(value, response.Files.Single().Contents.ToStringUtf8());
            Assert.Equal(value, byServerName.Files.Single().Contents.ToStringUtf8());
            Assert.Equal(StatusCode.Aborted, wrongName.StatusCode);
            // As Go's client: the name goes out as SNI, while the Host header keeps the address OpenBao was dialled at.
            Assert.Contains("localhost", tlsBao.ServerNamesAsked);
            Assert.Contains("openbao.elsewhere.example", tlsBao.ServerNamesAsked);
            Assert.All(tlsBao.HostsAsked, host => Assert.Equal(tlsBao.Address.Authority, host));
        }
        finally
        {
            File.Delete(caPath);
        }
    }

    [Fact]
    public async Task Flags_NamespaceFromFlag_UsedWhenTheSecretProviderClassSetsNone()
    {
        await using var provider = await ProviderProcess.StartAsync(fixture.Logs, options =>
        {
            options.OpenBaoAddress = fixture.Bao.Address;
            options.OpenBaoNamespace = ProviderFixture.TeamNamespace;
        });
        var mount = fixture.ShopMount("- objectName: token\n  secretPath: secret/data/team/api\n  secretKey: token");

        var response = await provider.Client.MountAsync(mount.ToRequest());

        Assert.StartsWith("team-", response.Files.Single().Contents.ToStringUtf8(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_MissingCaFile_FailedPreconditionNamingIt()
    {
        var mount = fixture.ShopMount(ProviderFixture.PasswordObject).WithParameter("baoCACertPath", "/nonexistent/ca.pem");

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.MountAsync(mount));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("/nonexistent/ca.pem", error.Status.Detail, StringComparison.Ordinal);
    }
}
