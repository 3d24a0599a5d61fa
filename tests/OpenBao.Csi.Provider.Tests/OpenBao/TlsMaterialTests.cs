using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OpenBao.Csi.Provider.OpenBao;

namespace OpenBao.Csi.Provider.Tests.OpenBao;

/// <summary>
/// Which OpenBao server certificates a configured CA accepts, as OpenBao's Go client decides: a root, an intermediate
/// or the server's own certificate in the pool each anchor a chain. The chain is root → intermediate → leaf, outside
/// the system's trust, so the platform always reports a chain error.
/// </summary>
public sealed class TlsMaterialTests : IDisposable
{
    private const string ServerName = "openbao.example";

    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly X509Certificate2 _root = Authority("CN=root", issuer: null);
    private readonly X509Certificate2 _intermediate;
    private readonly X509Certificate2 _leaf;
    private readonly X509Certificate2 _expiredLeaf;
    private readonly X509Certificate2 _clientOnlyLeaf;
    private readonly X509Certificate2 _otherRoot = Authority("CN=other root", issuer: null);
    private readonly X509Chain _presented = new();
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("openbao-tls-");

    public TlsMaterialTests()
    {
        _intermediate = Authority("CN=intermediate", _root);
        _leaf = Leaf(_intermediate, Now.AddDays(1));
        _expiredLeaf = Leaf(_intermediate, Now.AddMinutes(-1));
        _clientOnlyLeaf = Leaf(_intermediate, Now.AddDays(1), usage: "1.3.6.1.5.5.7.3.2");
        _presented.ChainPolicy.ExtraStore.Add(_intermediate);
        _presented.ChainPolicy.VerificationFlags = X509VerificationFlags.AllFlags;
        _presented.Build(_leaf);
    }

    public void Dispose()
    {
        _presented.Dispose();
        foreach (var certificate in new[] { _root, _intermediate, _leaf, _expiredLeaf, _clientOnlyLeaf, _otherRoot })
        {
            certificate.Dispose();
        }

        _directory.Delete(recursive: true);
    }

    private bool Trusted(X509Certificate2 served, params X509Certificate2[] configured) =>
        TlsMaterial.Validate(served, _presented, SslPolicyErrors.RemoteCertificateChainErrors, [.. configured], ServerName);

    [Fact]
    public void RootConfigured_Trusted() => Assert.True(Trusted(_leaf, _root));

    [Fact]
    public void OnlyTheIssuingIntermediateConfigured_Trusted() => Assert.True(Trusted(_leaf, _intermediate));

    [Fact]
    public void ServerCertificateItselfConfigured_Trusted() => Assert.True(Trusted(_leaf, _leaf));

    [Fact]
    public void AnotherCaConfigured_Refused() => Assert.False(Trusted(_leaf, _otherRoot));

    [Fact]
    public void IntermediateConfiguredButServerCertificateExpired_Refused() => Assert.False(Trusted(_expiredLeaf, _intermediate));

    /// <summary>Go verifies a server's certificate for server authentication: one issued for clients only is refused.</summary>
    [Fact]
    public void ClientOnlyCertificate_RefusedWhicheverAnchorIsConfigured()
    {
        Assert.False(Trusted(_clientOnlyLeaf, _root));
        Assert.False(Trusted(_clientOnlyLeaf, _intermediate));
    }

    /// <summary>OpenBao's Go client starts its pool from the system's roots and adds the configured CA to them.</summary>
    [Fact]
    public void SystemTrustedServer_TrustedWhateverCaIsConfigured()
    {
        Assert.True(TlsMaterial.Validate(_leaf, _presented, SslPolicyErrors.None, [_otherRoot], serverName: null));
    }

    [Fact]
    public void CaDirectory_WalkedWithKeysAndOtherFilesSkipped()
    {
        var nested = _directory.CreateSubdirectory("issuing");
        File.WriteAllText(Path.Combine(nested.FullName, "ca.crt"), _intermediate.ExportCertificatePem());
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            File.WriteAllText(Path.Combine(_directory.FullName, "tls.key"), key.ExportPkcs8PrivateKeyPem());
        }

        File.WriteAllText(Path.Combine(_directory.FullName, "README"), "not a certificate");
        File.WriteAllText(Path.Combine(_directory.FullName, "broken.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" + _otherRoot.ExportCertificatePem());

        var options = TlsMaterial.CreateSslOptions(new OpenBaoTlsSettings(CaDirectory: _directory.FullName, ServerName: ServerName));
        var accepts = options.RemoteCertificateValidationCallback!;

        Assert.True(accepts(this, _leaf, _presented, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.Contains("issuing/ca.crt", TlsMaterial.Fingerprint(new OpenBaoTlsSettings(CaDirectory: _directory.FullName)), StringComparison.Ordinal);
    }

    private static X509Certificate2 Authority(string subject, X509Certificate2? issuer)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        if (issuer is null)
        {
            return request.CreateSelfSigned(Now.AddDays(-1), Now.AddYears(1));
        }

        using var signed = request.Create(issuer, Now.AddDays(-1), Now.AddMonths(6), [7, 7, 7]);
        return signed.CopyWithPrivateKey(key);
    }

    private static X509Certificate2 Leaf(X509Certificate2 issuer, DateTimeOffset notAfter, string usage = "1.3.6.1.5.5.7.3.1")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=openbao", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(ServerName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        return request.Create(issuer, Now.AddDays(-1), notAfter, RandomNumberGenerator.GetBytes(8));
    }
}
