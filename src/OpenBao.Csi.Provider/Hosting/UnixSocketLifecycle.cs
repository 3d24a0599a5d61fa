using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenBao.Csi.Provider.Hosting;

/// <summary>
/// Owns the socket file around Kestrel's lifetime. The path is taken over only when it is a socket
/// nobody serves (left by a crash); anything else there stops the start untouched. At shutdown the
/// file is removed only while it is still the one this process created, so during a rolling update
/// the old pod never deletes the new pod's socket.
/// </summary>
internal sealed class UnixSocketLifecycle(ProviderOptions options, ReadinessState readiness, ILogger<UnixSocketLifecycle> logger)
    : IHostedLifecycleService
{
    private FileIdentity? _created;

    /// <summary>Runs before Kestrel binds (called while the host is being built).</summary>
    /// <exception cref="ProviderStartException">The path is not ours to take.</exception>
    public static void PrepareSocketPath(string path)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath);
        try
        {
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            switch (FileIdentity.Of(fullPath))
            {
                case null:
                    return;
                case { IsDirectory: true }:
                    throw new ProviderStartException($"-endpoint {path} is a directory; give the socket file's path, e.g. -endpoint={Path.Combine(path, "openbao.sock")}");
                case { IsSocket: false }:
                    throw new ProviderStartException($"-endpoint {path} exists and is not a socket; it was left untouched: remove it or choose another -endpoint");
            }

            if (IsServed(fullPath))
            {
                throw new ProviderStartException($"-endpoint {path} is served by another running process (another provider?); stop it or choose another -endpoint");
            }

            File.Delete(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SocketException)
        {
            throw new ProviderStartException($"-endpoint {path} cannot be used: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Kestrel's listen socket for the endpoint. .NET unlinks a Unix socket's path when the socket that
    /// bound it is disposed, whatever file is there by then; binding under a staging name and linking it
    /// to the endpoint leaves that unlink nothing to remove, so only <see cref="StoppingAsync"/> decides,
    /// by inode. Linking (not renaming) fails if another process took the endpoint meanwhile.
    /// </summary>
    public static Socket BindListenSocket(UnixDomainSocketEndPoint endpoint)
    {
        var path = endpoint.ToString();
        var staging = $"{path}.{Environment.ProcessId}.binding";
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            File.Delete(staging);
            socket.Bind(new UnixDomainSocketEndPoint(staging));
            File.Move(staging, path, overwrite: false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>True when something accepts connections on the socket; false for a stale file nobody listens on.</summary>
    private static bool IsServed(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return false;
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _created = FileIdentity.Of(options.Endpoint);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(options.Endpoint, options.SocketMode);
        }

        readiness.Set(true);
        Log.Listening(logger, options.Endpoint, Convert.ToString((int)options.SocketMode, 8).PadLeft(4, '0'));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Removes the socket file as shutdown begins, before Kestrel closes its listener: the open listener
    /// keeps our inode allocated, so an equal inode at the path is provably ours and not a new pod's
    /// socket that reused the number. Mounts already connected finish; a replacement can bind at once.
    /// </summary>
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        readiness.Set(false);
        Log.Stopping(logger);
        try
        {
            var current = FileIdentity.Of(options.Endpoint);
            if (_created is { } created && current is { } present && present.IsSameFile(created))
            {
                File.Delete(options.Endpoint);
            }
            else if (current is not null)
            {
                Log.SocketReplaced(logger, options.Endpoint);
            }
        }
        catch (IOException ex)
        {
            Log.SocketNotRemoved(logger, options.Endpoint, ex.Message);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
