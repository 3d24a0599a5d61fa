using OpenBao.Csi.Provider.Internal;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>
/// One pooled HTTP handler for a TLS configuration that follows its files: CA bundles and client
/// certificates are rotated on disk (cert-manager, Secret volumes), so the files are checked at most
/// every <see cref="CheckInterval"/> on use and a change builds a new handler for new connections.
/// A change that cannot be loaded keeps the last good handler.
/// </summary>
internal sealed class PooledHandler : IDisposable
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _requestTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private HttpMessageInvoker _invoker;
    private string _fingerprint;
    private DateTimeOffset _checkedAt;

    /// <exception cref="OpenBaoTlsException">The TLS files cannot be loaded.</exception>
    public PooledHandler(OpenBaoTlsSettings tls, string? unixSocket, TimeSpan requestTimeout, TimeProvider time, ILogger logger)
    {
        Tls = tls;
        UnixSocket = unixSocket;
        _requestTimeout = requestTimeout;
        _time = time;
        _logger = logger;
        _fingerprint = TlsMaterial.Fingerprint(tls);
        _checkedAt = time.GetUtcNow();
        _invoker = Build();
        if (tls.SkipVerify)
        {
            Log.TlsVerificationDisabled(logger);
        }
    }

    public OpenBaoTlsSettings Tls { get; }

    public string? UnixSocket { get; }

    public HttpMessageInvoker CurrentInvoker()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (now - _checkedAt >= CheckInterval)
            {
                _checkedAt = now;
                Reload();
            }

            return _invoker;
        }
    }

    /// <summary>Dropped from the pool: requests still running on it get their request timeout to finish.</summary>
    public void Retire() => DisposeLater(_invoker);

    public void Dispose() => _invoker.Dispose();

    private void Reload()
    {
        var fingerprint = TlsMaterial.Fingerprint(Tls);
        if (fingerprint == _fingerprint)
        {
            return;
        }

        // Remember the new state either way: a broken file is reported once, and tried again when it changes.
        _fingerprint = fingerprint;
        try
        {
            var previous = _invoker;
            _invoker = Build();
            DisposeLater(previous);
            Log.TlsFilesReloaded(_logger, Describe());
        }
        catch (OpenBaoTlsException ex)
        {
            Log.TlsFilesUnusable(_logger, ex.Message);
        }
    }

    private string Describe() =>
        string.Join(", ", new[] { Tls.CaCertPath, Tls.CaDirectory, Tls.ClientCertPath, Tls.ClientKeyPath }.Where(p => !string.IsNullOrEmpty(p)));

    private void DisposeLater(HttpMessageInvoker invoker) =>
        _ = Task.Delay(_requestTimeout * 2, _time).ContinueWith(_ => invoker.Dispose(), TaskScheduler.Default);

    private HttpMessageInvoker Build()
    {
        var handler = new SocketsHttpHandler
        {
            // Bounded connection lifetime so a moved OpenBao (DNS change, failover) is picked up.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            // Redirects are followed by OpenBaoClient, which decides where the token may go.
            AllowAutoRedirect = false,
            UseCookies = false,
            SslOptions = TlsMaterial.CreateSslOptions(Tls),
        };
        if (UnixSocket is { } path)
        {
            handler.ConnectCallback = (_, cancellationToken) => UnixSocketStream.ConnectAsync(path, cancellationToken);
        }
        else if (Tls.ServerName is { Length: > 0 } serverName)
        {
            handler.ConnectCallback = ServerNameConnection.Callback(serverName, handler.SslOptions);
        }

        return new HttpMessageInvoker(handler, disposeHandler: true);
    }
}
