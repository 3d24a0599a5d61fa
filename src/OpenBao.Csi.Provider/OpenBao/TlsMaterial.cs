using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>Loads the CA and client certificate files of one TLS configuration into the options a handler dials with.</summary>
internal static class TlsMaterial
{
    /// <summary>What the files look like now (names, sizes, modification times); a change means they must be read again.</summary>
    public static string Fingerprint(OpenBaoTlsSettings tls)
    {
        var parts = new List<string>();
        foreach (var path in new[] { tls.CaCertPath, tls.ClientCertPath, tls.ClientKeyPath })
        {
            if (!string.IsNullOrEmpty(path))
            {
                parts.Add(Describe(path));
            }
        }

        if (!string.IsNullOrEmpty(tls.CaDirectory) && Directory.Exists(tls.CaDirectory))
        {
            parts.AddRange(Directory.EnumerateFiles(tls.CaDirectory).Order(StringComparer.Ordinal).Select(Describe));
        }

        return string.Join('\n', parts);
    }

    // Follows symlinks, so a Kubernetes Secret volume's atomic ..data swap shows as a change.
    private static string Describe(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? $"{path}:{file.Length}:{file.LastWriteTimeUtc.Ticks}" : $"{path}:absent";
    }

    /// <exception cref="OpenBaoTlsException">A file named by the settings cannot be loaded.</exception>
    public static SslClientAuthenticationOptions CreateSslOptions(OpenBaoTlsSettings tls)
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
