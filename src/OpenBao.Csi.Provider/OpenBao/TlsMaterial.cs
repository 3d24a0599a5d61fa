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
            parts.AddRange(CaDirectoryFiles(tls.CaDirectory).Select(Describe));
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

    /// <remarks>
    /// As OpenBao's Go client builds its pool: the system's roots plus every configured certificate, each of them an
    /// anchor, an intermediate CA or a pinned server certificate too.
    /// </remarks>
    internal static bool Validate(
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
        var remaining = string.IsNullOrEmpty(serverName) ? errors : errors & ~SslPolicyErrors.RemoteCertificateNameMismatch;
        if (remaining == SslPolicyErrors.None)
        {
            return true;
        }

        return remaining == SslPolicyErrors.RemoteCertificateChainErrors && trusted.Count > 0 && ChainsToConfigured(leaf, presentedChain, trusted);
    }

    private static bool ChainsToConfigured(X509Certificate2 leaf, X509Chain? presentedChain, X509Certificate2Collection trusted)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // As Go verifies a server: a certificate whose extended key usage excludes server authentication is refused.
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        // Configured intermediates must be found as issuers even when the server does not send them.
        chain.ChainPolicy.ExtraStore.AddRange(trusted);
        if (presentedChain is not null)
        {
            foreach (var element in presentedChain.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (chain.Build(leaf))
        {
            return true;
        }

        // .NET anchors a chain only at a self-signed root; Go stops at any certificate in its pool. The chain up to the
        // first configured certificate must be sound on its own: only the missing way beyond it is forgiven.
        foreach (var element in chain.ChainElements)
        {
            if (element.ChainElementStatus.Any(status => status.Status is not (X509ChainStatusFlags.NoError or X509ChainStatusFlags.PartialChain or X509ChainStatusFlags.UntrustedRoot)))
            {
                return false;
            }

            if (trusted.Any(anchor => anchor.RawDataMemory.Span.SequenceEqual(element.Certificate.RawDataMemory.Span)))
            {
                return true;
            }
        }

        return false;
    }

    private static X509Certificate2Collection LoadTrustedCertificates(OpenBaoTlsSettings tls)
    {
        var collection = new X509Certificate2Collection();
        if (tls.CaCertPath is { Length: > 0 } caPath)
        {
            var found = ReadCertificates(caPath);
            if (found.Count == 0)
            {
                throw new OpenBaoTlsException($"CA certificate file {caPath} holds no PEM certificate");
            }

            collection.AddRange(found.ToArray());
        }

        if (tls.CaDirectory is { Length: > 0 } caDirectory)
        {
            if (!Directory.Exists(caDirectory))
            {
                throw new OpenBaoTlsException($"CA directory {caDirectory} does not exist");
            }

            // As Go's client walks it: subdirectories included, keys and other files skipped.
            foreach (var file in CaDirectoryFiles(caDirectory))
            {
                collection.AddRange(ReadCertificates(file).ToArray());
            }
        }

        return collection;
    }

    private static IEnumerable<string> CaDirectoryFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 })
            .Order(StringComparer.Ordinal);

    /// <summary>Every certificate in a PEM file, as Go's <c>AppendCertsFromPEM</c> takes them: other blocks and unparsable certificates are skipped.</summary>
    private static List<X509Certificate2> ReadCertificates(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OpenBaoTlsException($"cannot load CA certificate file {path}: {ex.Message}", ex);
        }

        var found = new List<X509Certificate2>();
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                var der = new byte[fields.DecodedDataLength];
                if (Convert.TryFromBase64Chars(rest[fields.Base64Data], der, out var written))
                {
                    try
                    {
                        found.Add(X509CertificateLoader.LoadCertificate(der.AsSpan(0, written)));
                    }
                    catch (CryptographicException)
                    {
                        // Go skips a block that does not parse as a certificate; the rest of the file still counts.
                    }
                }
            }

            rest = rest[fields.Location.End..];
        }

        return found;
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
