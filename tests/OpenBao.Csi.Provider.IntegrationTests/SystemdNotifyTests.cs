using System.Net.Sockets;
using System.Text;
using OpenBao.Csi.Provider.Hosting;
using OpenBao.Csi.Provider.IntegrationTests.Infrastructure;

namespace OpenBao.Csi.Provider.IntegrationTests;

/// <summary>The sd_notify protocol as systemd receives it: datagrams on the socket named by NOTIFY_SOCKET.</summary>
[Collection(ProviderCollection.Name)]
public sealed class SystemdNotifyTests(ProviderFixture fixture)
{
    private static async Task<string> ReceiveAsync(Socket systemd)
    {
        var buffer = new byte[4096];
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = await systemd.ReceiveAsync(buffer, SocketFlags.None, patience.Token);
        return Encoding.UTF8.GetString(buffer, 0, received);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Notify_ReadyOnceServingThenStopping(bool abstractNamespace)
    {
        var name = abstractNamespace
            ? $"@openbao-csi-notify-{Guid.NewGuid():N}"
            : Path.Combine(Directory.CreateTempSubdirectory("openbao-csi-notify-").FullName, "notify.sock");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint(abstractNamespace ? "\0" + name[1..] : name));

        var provider = await ProviderProcess.StartAsync(fixture.Logs, options => options.Environment = variable => variable == "NOTIFY_SOCKET" ? name : null);
        var ready = await ReceiveAsync(systemd);
        var servingWhenReady = File.Exists(provider.SocketPath);
        await provider.StopAsync();
        var stopping = await ReceiveAsync(systemd);
        await provider.DisposeAsync();

        Assert.StartsWith("READY=1\n", ready, StringComparison.Ordinal);
        Assert.Contains($"MAINPID={Environment.ProcessId}", ready, StringComparison.Ordinal);
        Assert.True(servingWhenReady);
        Assert.StartsWith("STOPPING=1", stopping, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notify_StartupMemoryReleased_UpdatesTheStatus()
    {
        var name = Path.Combine(Directory.CreateTempSubdirectory("openbao-csi-notify-").FullName, "notify.sock");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint(name));
        var options = new ProviderOptions { Endpoint = "/run/openbao.sock", Environment = variable => variable == "NOTIFY_SOCKET" ? name : null };

        await new SystemdNotifier(options, Microsoft.Extensions.Logging.Abstractions.NullLogger<SystemdNotifier>.Instance).StartupMemoryReleasedAsync();

        Assert.Equal("STATUS=Serving CSIDriverProvider on /run/openbao.sock; start-up memory released", await ReceiveAsync(systemd));
    }
}
