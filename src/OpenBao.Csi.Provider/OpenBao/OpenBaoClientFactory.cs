using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>
/// Hands out clients that share one pooled handler per distinct TLS configuration, so every pod
/// talking to the same OpenBao reuses warm connections instead of opening its own.
/// </summary>
internal sealed class OpenBaoClientFactory(TimeSpan requestTimeout, ILogger<OpenBaoClientFactory> logger) : IDisposable
{
    private readonly ConcurrentDictionary<(OpenBaoTlsSettings Tls, string? UnixSocket), HttpMessageInvoker> _invokers = new();

    /// <summary>Pooled handlers, one per distinct TLS configuration and socket.</summary>
    public int HandlerCount => _invokers.Count;

    /// <summary>Throws <see cref="OpenBaoTlsException"/> when the TLS files cannot be loaded; a later call tries again.</summary>
    public OpenBaoClient Create(OpenBaoConnection connection)
    {
        var key = (connection.Tls, connection.UnixSocketPath);
        if (!_invokers.TryGetValue(key, out var invoker))
        {
            var created = CreateInvoker(connection.Tls, connection.UnixSocketPath);
            invoker = _invokers.GetOrAdd(key, created);
            if (!ReferenceEquals(invoker, created))
            {
                created.Dispose();
            }
        }

        return new OpenBaoClient(invoker, connection, requestTimeout);
    }

    public void Dispose()
    {
        foreach (var invoker in _invokers.Values)
        {
            invoker.Dispose();
        }
    }

    private HttpMessageInvoker CreateInvoker(OpenBaoTlsSettings tls, string? unixSocket)
    {
        var handler = new SocketsHttpHandler
        {
            // Bounded connection lifetime so a moved OpenBao (DNS change, failover) is picked up.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AllowAutoRedirect = true,
            UseCookies = false,
            SslOptions = CreateSslOptions(tls),
        };
        if (unixSocket is not null)
        {
            handler.ConnectCallback = (_, cancellationToken) => ConnectUnixAsync(unixSocket, cancellationToken);
        }

        if (tls.SkipVerify)
        {
            Log.TlsVerificationDisabled(logger);
        }

        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    private static async ValueTask<Stream> ConnectUnixAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static SslClientAuthenticationOptions CreateSslOptions(OpenBaoTlsSettings tls)
    {
        var options = new SslClientAuthenticationOptions();
        if (tls.ClientCertPath is { Length: > 0 } certPath)
        {
            options.ClientCertificateContext = LoadClientCertificate(certPath, tls.ClientKeyPath);
        }

        var trusted = LoadTrustedCertificates(tls);
        if (tls.SkipVerify)
        {
            options.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (trusted.Count > 0 || !string.IsNullOrEmpty(tls.ServerName))
        {
            options.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                Validate(certificate, chain, errors, trusted, tls.ServerName);
        }

        return options;
    }

    private static bool Validate(
        X509Certificate? certificate,
        X509Chain? presentedChain,
        SslPolicyErrors errors,
        X509Certificate2Collection trusted,
        string? serverName)
    {
        if (certificate is null)
        {
            return false;
        }

        using var leaf = new X509Certificate2(certificate);
        if (!string.IsNullOrEmpty(serverName) && !leaf.MatchesHostname(serverName))
        {
            return false;
        }

        // With an explicit server name the check above replaces the platform's name check against the dialled host.
        var nameChecked = !string.IsNullOrEmpty(serverName);
        if (trusted.Count == 0)
        {
            var remaining = nameChecked ? errors & ~SslPolicyErrors.RemoteCertificateNameMismatch : errors;
            return remaining == SslPolicyErrors.None;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presentedChain is not null)
        {
            foreach (var element in presentedChain.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(leaf) && (nameChecked || !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch));
    }

    private static X509Certificate2Collection LoadTrustedCertificates(OpenBaoTlsSettings tls)
    {
        var collection = new X509Certificate2Collection();
        if (tls.CaCertPath is { Length: > 0 } caPath)
        {
            ImportPem(collection, caPath, "CA certificate");
        }

        if (tls.CaDirectory is { Length: > 0 } caDirectory)
        {
            if (!Directory.Exists(caDirectory))
            {
                throw new OpenBaoTlsException($"CA directory {caDirectory} does not exist");
            }

            foreach (var file in Directory.EnumerateFiles(caDirectory).Order(StringComparer.Ordinal))
            {
                ImportPem(collection, file, "CA certificate");
            }
        }

        return collection;
    }

    private static void ImportPem(X509Certificate2Collection into, string path, string what)
    {
        try
        {
            var before = into.Count;
            into.ImportFromPemFile(path);
            if (into.Count == before)
            {
                throw new OpenBaoTlsException($"{what} file {path} holds no PEM certificate");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new OpenBaoTlsException($"cannot load {what} file {path}: {ex.Message}", ex);
        }
    }

    /// <summary>The leaf with its key plus any intermediates in the same PEM, always sent whatever issuers the server names.</summary>
    private static SslStreamCertificateContext LoadClientCertificate(string certPath, string? keyPath)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certPath, string.IsNullOrEmpty(keyPath) ? null : keyPath);
            // SslStream on Linux needs the key in an exportable, non-ephemeral form.
            var leaf = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(certPath);
            var intermediates = new X509Certificate2Collection(chain.Where(c => c.Thumbprint != leaf.Thumbprint).ToArray());
            return SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new OpenBaoTlsException($"cannot load TLS client certificate {certPath} (key {keyPath ?? "in the same file"}): {ex.Message}", ex);
        }
    }
}
