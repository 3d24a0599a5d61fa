using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OpenBao.Emulator.Internal.Crypto;

/// <summary>Real X.509 certificates for the PKI engine and the emulator's own TLS endpoint.</summary>
internal static class CertificateFactory
{
    private const int SerialLength = 20;

    /// <summary>An ECDSA P-256 root: as valid as an RSA one for chaining, and generated in microseconds.</summary>
    public static X509Certificate2 CreateRootCa(string commonName, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return CaRequest(commonName, key).CreateSelfSigned(notBefore, notAfter);
    }

    /// <summary>
    /// An ECDSA P-256 CA signed by <paramref name="issuer"/>, with the same constraints as a root (no path
    /// length limit, as OpenBao's <c>sign-intermediate</c> gives by default) and an AKI naming the issuer's key.
    /// </summary>
    public static X509Certificate2 CreateIntermediateCa(X509Certificate2 issuer, string commonName, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = CaRequest(commonName, key);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var issuerKey = issuer.GetECDsaPrivateKey()!;
        using var issued = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), notBefore, notAfter, NewSerialNumber());
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>A server-and-client leaf signed by <paramref name="ca"/>, carrying <paramref name="key"/> (RSA or ECDSA).</summary>
    public static X509Certificate2 IssueLeaf(
        X509Certificate2 ca,
        AsymmetricAlgorithm key,
        string commonName,
        IReadOnlyList<string> dnsNames,
        IReadOnlyList<IPAddress> ipAddresses,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter,
        byte[] serialNumber)
    {
        var request = key switch
        {
            RSA rsa => new CertificateRequest($"CN={commonName}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => new CertificateRequest($"CN={commonName}", ecdsa, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException($"Unsupported key type {key.GetType()}.", nameof(key)),
        };
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyAgreement, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (dnsNames.Count > 0 || ipAddresses.Count > 0)
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (var dnsName in dnsNames)
            {
                names.AddDnsName(dnsName);
            }

            foreach (var address in ipAddresses)
            {
                names.AddIpAddress(address);
            }

            request.CertificateExtensions.Add(names.Build());
        }

        using var caKey = ca.GetECDsaPrivateKey()!;
        using var issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), notBefore, notAfter, serialNumber);
        return key is RSA rsaKey ? issued.CopyWithPrivateKey(rsaKey) : issued.CopyWithPrivateKey((ECDsa)key);
    }

    /// <summary>Twenty random bytes, positive and without a leading zero byte, like OpenBao's serials.</summary>
    public static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(SerialLength);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }

    /// <summary>Lower-case hex pairs joined by colons, e.g. <c>3a:0f:…</c>.</summary>
    public static string FormatSerialNumber(ReadOnlySpan<byte> serial) =>
        string.Join(':', serial.ToArray().Select(part => part.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    private static CertificateRequest CaRequest(string commonName, ECDsa key)
    {
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request;
    }
}
