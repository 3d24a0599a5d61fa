using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenBao.Csi.Provider.Hosting;

/// <summary>
/// The sd_notify protocol for <c>Type=notify</c> units: READY=1 once the socket serves, STOPPING=1 when
/// shutdown begins, as datagrams to <c>NOTIFY_SOCKET</c>. Done here rather than by the hosting package's
/// systemd lifetime, which only speaks when its parent process is named systemd.
/// </summary>
internal sealed class SystemdNotifier(ProviderOptions options, ILogger<SystemdNotifier> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Registered after the socket lifecycle, so the socket already has its mode when systemd hears READY.
    public Task StartedAsync(CancellationToken cancellationToken) =>
        NotifyAsync($"READY=1\nSTATUS=Serving CSIDriverProvider on {options.Endpoint}\nMAINPID={Environment.ProcessId}", cancellationToken);

    public Task StoppingAsync(CancellationToken cancellationToken) => NotifyAsync("STOPPING=1\nSTATUS=Shutting down", cancellationToken);

    /// <summary>Shown by <c>systemctl status</c>; also what tells a benchmark the provider has settled into its idle footprint.</summary>
    public Task StartupMemoryReleasedAsync() =>
        NotifyAsync($"STATUS=Serving CSIDriverProvider on {options.Endpoint}; start-up memory released", CancellationToken.None);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task NotifyAsync(string state, CancellationToken cancellationToken)
    {
        if (options.Environment("NOTIFY_SOCKET") is not { Length: > 0 } path)
        {
            return;
        }

        // A leading '@' names a socket in the abstract namespace, written with a NUL byte on the wire.
        var endpoint = new UnixDomainSocketEndPoint(path[0] == '@' ? "\0" + path[1..] : path);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            await socket.SendToAsync(Encoding.UTF8.GetBytes(state), SocketFlags.None, endpoint, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            Log.NotifyFailed(logger, path, ex.Message);
        }
    }
}
