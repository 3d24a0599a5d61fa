using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Rendering;

/// <summary>
/// A PKI issue or sign answer (<c>certificate</c>, <c>private_key</c>, <c>issuing_ca</c>, <c>ca_chain</c>)
/// as a leaf and its chain ordered by who issued whom: each next certificate is the one whose subject
/// is the previous one's issuer and whose key verifies its signature, up to a self-signed root. The
/// response's own order and duplicates do not matter; certificates not on the path are left out.
/// </summary>
internal sealed class CertificateBundle : IDisposable
{
    private CertificateBundle(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> chain, string? privateKeyPem)
    {
        Leaf = leaf;
        Chain = chain;
        PrivateKeyPem = privateKeyPem;
    }

    public X509Certificate2 Leaf { get; }

    /// <summary>Issuer of the leaf first, root (if present) last.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    public string? PrivateKeyPem { get; }

    public static CertificateBundle Read(SecretObject secret, JsonElement data)
    {
        var leafPem = Text(data, "certificate") ?? throw Problem(secret, "holds no 'certificate' (a PKI issue or sign answer is expected)", keyMissing: true);
        var found = new X509Certificate2Collection();
        try
        {
            found.ImportFromPem(leafPem);
            if (found.Count == 0)
            {
                throw Problem(secret, "'certificate' holds no PEM certificate", keyMissing: false);
            }

            var leaf = found[0];
            var candidates = new X509Certificate2Collection();
            candidates.AddRange(found);
            if (Text(data, "issuing_ca") is { } issuing)
            {
                candidates.ImportFromPem(issuing);
            }

            if (data.TryGetProperty("ca_chain", out var chain) && chain.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in chain.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String))
                {
                    candidates.ImportFromPem(item.GetString()!);
                }
            }

            return new CertificateBundle(leaf, PathFrom(leaf, candidates), Text(data, "private_key"));
        }
        catch (CryptographicException)
        {
            throw Problem(secret, "holds a certificate that is not valid PEM", keyMissing: false);
        }
    }

    /// <summary>The leaf with its private key, which must belong to it.</summary>
    public X509Certificate2 LeafWithKey(SecretObject secret)
    {
        if (PrivateKeyPem is null)
        {
            throw Problem(secret, "holds no 'private_key' (a sign answer has none; use issue, or format pem-chain)", keyMissing: true);
        }

        try
        {
            return X509Certificate2.CreateFromPem(Leaf.ExportCertificatePem(), PrivateKeyPem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw Problem(secret, "holds a private_key that does not match its certificate, or cannot be read", keyMissing: false);
        }
    }

    public void Dispose()
    {
        Leaf.Dispose();
        foreach (var certificate in Chain)
        {
            certificate.Dispose();
        }
    }

    private static List<X509Certificate2> PathFrom(X509Certificate2 leaf, X509Certificate2Collection candidates)
    {
        var path = new List<X509Certificate2>();
        var current = leaf;
        while (!IsSelfIssued(current))
        {
            var next = current;
            var issuer = candidates.FirstOrDefault(c => Issued(next, c) && c.Thumbprint != next.Thumbprint && path.All(p => p.Thumbprint != c.Thumbprint));
            if (issuer is null)
            {
                break;
            }

            path.Add(issuer);
            current = issuer;
        }

        return path;
    }

    private static bool IsSelfIssued(X509Certificate2 certificate) => Issued(certificate, certificate);

    /// <summary>The issuer's subject is the certificate's issuer and, where both carry them, the key identifiers agree.</summary>
    private static bool Issued(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        if (!issuer.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
        {
            return false;
        }

        var authorityKey = certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier;
        var subjectKey = issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes;
        return authorityKey is not { } aki || subjectKey is not { } ski || aki.Span.SequenceEqual(ski.Span);
    }

    private static string? Text(JsonElement data, string field) =>
        data.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static RenderException Problem(SecretObject secret, string what, bool keyMissing) =>
        new($"object '{secret.ObjectName}': the secret at {secret.SecretPath} {what}", keyMissing);
}
