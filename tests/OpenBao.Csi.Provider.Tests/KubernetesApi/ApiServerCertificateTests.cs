using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OpenBao.Csi.Provider.KubernetesApi;

namespace OpenBao.Csi.Provider.Tests.KubernetesApi;

/// <summary>
/// The API server's certificate as the TLS handshake reports it: a cluster CA outside the system's trust (so
/// the chain always "fails"), and a leaf for the in-cluster service name.
/// </summary>
public sealed class ApiServerCertificateTests : IDisposable
{
    private const string ServiceName = "kubernetes.default.svc";

    private readonly X509Certificate2 _clusterCa = Authority("CN=cluster CA");
    private readonly X509Certificate2 _otherCa = Authority("CN=someone else");
    private readonly X509Certificate2 _leaf;
    private readonly X509Chain _chain = new();

    public ApiServerCertificateTests()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kube-apiserver", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(ServiceName);
        request.CertificateExtensions.Add(names.Build());
        _leaf = request.Create(_clusterCa, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);
    }

    public void Dispose()
    {
        _chain.Dispose();
        _leaf.Dispose();
        _clusterCa.Dispose();
        _otherCa.Dispose();
    }

    private bool Trusted(SslPolicyErrors errors, X509Certificate2? authority, string? serverName = null) =>
        KubernetesApiClient.IsTrustedServer(this, _leaf, _chain, errors, authority is null ? null : [authority], serverName);

    [Fact]
    public void ClusterCa_NameMatches_Trusted()
    {
        Assert.True(Trusted(SslPolicyErrors.RemoteCertificateChainErrors, _clusterCa));
    }

    [Fact]
    public void ClusterCa_ServerReachedUnderAnotherName_Refused()
    {
        Assert.False(Trusted(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch, _clusterCa));
    }

    [Fact]
    public void ClusterCa_OtherNameButTlsServerNameInTheCertificate_Trusted()
    {
        Assert.True(Trusted(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch, _clusterCa, ServiceName));
    }

    [Fact]
    public void TlsServerNameNotInTheCertificate_Refused()
    {
        Assert.False(Trusted(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch, _clusterCa, "evil.example"));
    }

    [Fact]
    public void SignedByAnotherCa_Refused()
    {
        Assert.False(Trusted(SslPolicyErrors.RemoteCertificateChainErrors, _otherCa));
    }

    /// <summary>What the TLS stack reports for a certificate a system-trusted CA issued: no error at all.</summary>
    [Fact]
    public void ClusterCaNamed_CertificateFromAnotherCaTheSystemTrusts_Refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kube-apiserver", key, HashAlgorithmName.SHA256);
        using var elsewhere = request.Create(_otherCa, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), [5, 6, 7, 8]);

        Assert.False(KubernetesApiClient.IsTrustedServer(this, elsewhere, _chain, SslPolicyErrors.None, [_clusterCa], serverName: null));
    }

    [Fact]
    public void TlsServerNameOnlyInTheCommonName_Refused()
    {
        Assert.False(Trusted(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch, _clusterCa, "kube-apiserver"));
    }

    [Fact]
    public void SystemTrust_OnlyTheNameDiffersAndTlsServerNameMatches_Trusted()
    {
        Assert.True(Trusted(SslPolicyErrors.RemoteCertificateNameMismatch, authority: null, ServiceName));
        Assert.False(Trusted(SslPolicyErrors.RemoteCertificateNameMismatch, authority: null));
        Assert.False(Trusted(SslPolicyErrors.RemoteCertificateChainErrors, authority: null, ServiceName));
    }

    private static X509Certificate2 Authority(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1));
    }
}
