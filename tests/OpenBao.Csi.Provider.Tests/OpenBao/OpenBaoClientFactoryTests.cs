using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OpenBao.Csi.Provider.OpenBao;

namespace OpenBao.Csi.Provider.Tests.OpenBao;

public sealed class OpenBaoClientFactoryTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("openbao-tls-");
    private readonly FakeTimeProvider _time = new();
    private readonly OpenBaoClientFactory _factory;

    public OpenBaoClientFactoryTests() =>
        _factory = new(new OpenBaoClientSettings(TimeSpan.FromSeconds(5)), _time, NullLogger<OpenBaoClientFactory>.Instance, TestMetrics.Unobserved, capacity: 3);

    public void Dispose()
    {
        _factory.Dispose();
        _directory.Delete(recursive: true);
    }

    private static OpenBaoConnection Connection(OpenBaoTlsSettings tls) => new(new Uri("https://openbao.example:8200"), null, tls);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (X509Certificate2 Ca, X509Certificate2 Leaf, ECDsa LeafKey) IssueClientCertificate()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=test intermediate", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=openbao-csi-provider", leafKey, HashAlgorithmName.SHA256);
        var leaf = leafRequest.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1), [1, 2, 3]);
        return (ca, leaf, leafKey);
    }

    [Fact]
    public void Create_ClientCertificateWithIntermediateAndKey_Loads()
    {
        var (ca, leaf, key) = IssueClientCertificate();
        var certPath = Write("client.pem", leaf.ExportCertificatePem() + "\n" + ca.ExportCertificatePem());
        var keyPath = Write("client.key", key.ExportPkcs8PrivateKeyPem());
        var caPath = Write("ca.pem", ca.ExportCertificatePem());

        var client = _factory.Create(Connection(new OpenBaoTlsSettings(CaCertPath: caPath, ClientCertPath: certPath, ClientKeyPath: keyPath)));

        Assert.Equal(certPath, client.Connection.Tls.ClientCertPath);
    }

    [Fact]
    public void Create_SameTls_SharesOneHandler()
    {
        _factory.Create(Connection(new OpenBaoTlsSettings()));
        _factory.Create(Connection(new OpenBaoTlsSettings()) with { Namespace = "team-a", Address = new Uri("https://other:8200") });
        Assert.Equal(1, _factory.HandlerCount);

        _factory.Create(Connection(new OpenBaoTlsSettings(SkipVerify: true)));
        Assert.Equal(2, _factory.HandlerCount);
    }

    [Theory]
    [InlineData("ca")]
    [InlineData("ca-empty")]
    [InlineData("ca-directory")]
    [InlineData("client")]
    public void Create_UnusableTlsFiles_NamesTheFile(string what)
    {
        var missing = Path.Combine(_directory.FullName, "missing.pem");
        var empty = Write("empty.pem", "no certificate here");
        var tls = what switch
        {
            "ca" => new OpenBaoTlsSettings(CaCertPath: missing),
            "ca-empty" => new OpenBaoTlsSettings(CaCertPath: empty),
            "ca-directory" => new OpenBaoTlsSettings(CaDirectory: missing),
            _ => new OpenBaoTlsSettings(ClientCertPath: missing, ClientKeyPath: empty),
        };

        var error = Assert.Throws<OpenBaoTlsException>(() => _factory.Create(Connection(tls)));

        Assert.Contains(what == "ca-empty" ? empty : missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_SameTlsObjectAfterItsHandlerWasEvicted_GetsANewHandler()
    {
        // Asked for again and again, the same settings object is recognised without a lookup, until it is not the last.
        var tls = new OpenBaoTlsSettings(ServerName: "a");
        var first = _factory.Create(Connection(tls)).Invoker;
        Assert.Same(first, _factory.Create(Connection(tls)).Invoker);
        foreach (var name in new[] { "b", "c", "d" })
        {
            _factory.Create(Connection(new OpenBaoTlsSettings(ServerName: name)));
        }

        Assert.NotSame(first, _factory.Create(Connection(tls)).Invoker);
        Assert.Equal(3, _factory.HandlerCount);
    }

    [Fact]
    public void Create_ManyTlsConfigurations_KeepsOnlyTheMostRecentlyUsed()
    {
        var first = Connection(new OpenBaoTlsSettings(ServerName: "a"));
        _factory.Create(first);
        foreach (var name in new[] { "b", "c" })
        {
            _factory.Create(Connection(new OpenBaoTlsSettings(ServerName: name)));
        }

        var firstAgain = _factory.Create(first);
        _factory.Create(Connection(new OpenBaoTlsSettings(ServerName: "d")));
        _factory.Create(Connection(new OpenBaoTlsSettings(ServerName: "e")));

        Assert.Equal(3, _factory.HandlerCount);
        Assert.Same(firstAgain.Invoker, _factory.Create(first).Invoker);
    }

    [Fact]
    public void Create_CaFileReplacedOnDisk_NewHandlerAfterTheCheckInterval()
    {
        var (ca, _, _) = IssueClientCertificate();
        var caPath = Write("ca.pem", ca.ExportCertificatePem());
        var connection = Connection(new OpenBaoTlsSettings(CaCertPath: caPath));
        var before = _factory.Create(connection).Invoker;
        var (rotated, _, _) = IssueClientCertificate();
        Write("ca.pem", rotated.ExportCertificatePem() + "\n" + ca.ExportCertificatePem());
        File.SetLastWriteTimeUtc(caPath, DateTime.UtcNow.AddMinutes(1));

        var withinInterval = _factory.Create(connection).Invoker;
        _time.Advance(PooledHandler.CheckInterval);
        var after = _factory.Create(connection).Invoker;

        Assert.Same(before, withinInterval);
        Assert.NotSame(before, after);
        Assert.Same(after, _factory.Create(connection).Invoker);
    }

    [Fact]
    public void Create_CaFileTurnsUnreadable_KeepsTheLastGoodHandler()
    {
        var (ca, _, _) = IssueClientCertificate();
        var caPath = Write("ca.pem", ca.ExportCertificatePem());
        var connection = Connection(new OpenBaoTlsSettings(CaCertPath: caPath));
        var before = _factory.Create(connection).Invoker;
        Write("ca.pem", "-----BEGIN CERTIFICATE-----\ntruncated by a half-finished rotation");
        _time.Advance(PooledHandler.CheckInterval);

        var after = _factory.Create(connection).Invoker;

        Assert.Same(before, after);
    }
}
