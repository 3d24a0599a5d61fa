using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenBao.Csi.Provider.Hosting;

/// <summary>
/// Owns the socket file around Kestrel's lifetime: a stale file from a crash is removed before
/// binding, the mode is set once the socket exists, and the file is gone after shutdown so the
/// driver never dials a dead provider.
/// </summary>
internal sealed class UnixSocketLifecycle(ProviderOptions options, ReadinessState readiness, ILogger<UnixSocketLifecycle> logger)
    : IHostedLifecycleService
{
    /// <summary>Runs before Kestrel binds (called while the host is being built).</summary>
    public static void PrepareSocketPath(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // File.Exists is true for a socket file too; a live provider on the same path would be a deployment error anyway.
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(options.Endpoint, options.SocketMode);
        }

        readiness.Set(true);
        Log.Listening(logger, options.Endpoint, Convert.ToString((int)options.SocketMode, 8).PadLeft(4, '0'));
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        readiness.Set(false);
        Log.Stopping(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        try
        {
            File.Delete(options.Endpoint);
        }
        catch (IOException ex)
        {
            Log.SocketNotRemoved(logger, options.Endpoint, ex.Message);
        }

        return Task.CompletedTask;
    }
}
