using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Csi.Driver.Emulator;
using Grpc.Core;
using Grpc.Net.Client;
using OpenBao.Csi.Provider.V1Alpha1;
using File = System.IO.File;

namespace OpenBao.Csi.Provider.Demo;

/// <summary>The real provider binary as a child process serving on its own Unix socket, with a driver-like client.</summary>
internal sealed class ProviderProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly GrpcChannel _channel;
    private readonly Socket _systemd;
    private readonly Task _startupMemoryReleased;

    private ProviderProcess(Process process, string socket, Socket systemd)
    {
        Process = process;
        Socket = socket;
        _systemd = systemd;
        _startupMemoryReleased = StatusAsync(systemd, "start-up memory released");
        _channel = DriverChannel.Create(socket);
        Client = DriverAcceptance.Client(_channel);
    }

    public Process Process { get; }

    public string Socket { get; }

    public CSIDriverProvider.CSIDriverProviderClient Client { get; }

    /// <summary>
    /// The build the demo runs when none is named: <c>PROVIDER_BINARY</c> if set, else the JIT build
    /// copied next to the demo (its apphost, or the dll through <c>dotnet</c>).
    /// </summary>
    public static string DefaultBinary()
    {
        var directory = AppContext.BaseDirectory;
        var apphost = Environment.GetEnvironmentVariable("PROVIDER_BINARY") ?? Path.Combine(directory, "openbao-csi-provider");
        return File.Exists(apphost) ? apphost : Path.Combine(directory, "openbao-csi-provider.dll");
    }

    /// <summary>Starts <paramref name="binary"/> (an executable, or a dll run through <c>dotnet</c>) against <paramref name="openBao"/>.</summary>
    public static ProviderProcess Start(string binary, string socket, Uri openBao, string keyFile)
    {
        var start = binary.EndsWith(".dll", StringComparison.Ordinal)
            ? new ProcessStartInfo("dotnet", [binary])
            : new ProcessStartInfo(binary);
        foreach (var argument in new[] { $"-endpoint={socket}", $"-openbao-addr={openBao}", $"-hmac-key-file={keyFile}", "-health-addr=", "-log-level=error" })
        {
            start.ArgumentList.Add(argument);
        }

        // Hermetic: the machine's kubeconfig, if any, is not the demo's cluster.
        start.Environment["KUBECONFIG"] = "/nonexistent";
        // Played as systemd: the provider's sd_notify status says when it has settled into its idle footprint.
        var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        var notify = socket + ".notify";
        File.Delete(notify);
        systemd.Bind(new UnixDomainSocketEndPoint(notify));
        start.Environment["NOTIFY_SOCKET"] = notify;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {binary}");
        return new ProviderProcess(process, socket, systemd);
    }

    /// <summary>
    /// Completes once the provider has released what only start-up needed (a second after its last mount),
    /// as its sd_notify status reports.
    /// </summary>
    public Task StartupMemoryReleasedAsync() => _startupMemoryReleased.WaitAsync(StartTimeout);

    private static async Task StatusAsync(Socket systemd, string status)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var received = await systemd.ReceiveAsync(buffer, SocketFlags.None);
            if (System.Text.Encoding.UTF8.GetString(buffer, 0, received).Contains(status, StringComparison.Ordinal))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Waits until a <c>Version</c> call succeeds. The socket file appears as the provider binds, a moment
    /// before it listens, so connecting is retried until it is accepted: microseconds, not a poll. A bare
    /// connection first keeps the gRPC channel from failing early and backing off.
    /// </summary>
    public async Task<VersionResponse> WaitUntilServingAsync()
    {
        var waited = Stopwatch.StartNew();
        await SocketCreatedAsync();
        while (!await AcceptsConnectionsAsync())
        {
            ThrowIfNotStarting(waited);
        }

        while (true)
        {
            try
            {
                return await Client.VersionAsync(new VersionRequest { Version = "v1alpha1" });
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
            {
                ThrowIfNotStarting(waited);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        if (!Process.HasExited)
        {
            // SIGTERM, as the kubelet sends: the provider drains and removes its socket.
            using var kill = Process.Start("kill", ["-TERM", Process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            if (!Process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                Process.Kill();
            }
        }

        Process.Dispose();
        _systemd.Dispose();
    }

    /// <summary>Returns when the socket file exists (told by inotify), or fails when the provider exits or times out first.</summary>
    private async Task SocketCreatedAsync()
    {
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(Socket)!, Path.GetFileName(Socket));
        watcher.Created += (_, _) => created.TrySetResult();
        watcher.Renamed += (_, _) => created.TrySetResult();
        watcher.EnableRaisingEvents = true;
        if (File.Exists(Socket))
        {
            return;
        }

        var exited = Process.WaitForExitAsync();
        if (await Task.WhenAny(created.Task, exited).WaitAsync(StartTimeout) == exited)
        {
            throw new InvalidOperationException($"the provider exited with {Process.ExitCode} before serving on {Socket}");
        }
    }

    private async Task<bool> AcceptsConnectionsAsync()
    {
        if (!File.Exists(Socket))
        {
            return false;
        }

        using var probe = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await probe.ConnectAsync(new UnixDomainSocketEndPoint(Socket));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void ThrowIfNotStarting(Stopwatch waited)
    {
        if (Process.HasExited || waited.Elapsed > StartTimeout)
        {
            throw new InvalidOperationException($"the provider did not serve on {Socket} (exited: {Process.HasExited})");
        }
    }
}
