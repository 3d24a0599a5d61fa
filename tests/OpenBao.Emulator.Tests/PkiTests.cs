using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OpenBao.Emulator.Tests;

public sealed class PkiTests : IAsyncLifetime
{
    private OpenBaoEmulator _emulator = null!;
    private ApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _emulator = await OpenBaoEmulator.StartAsync();
        _emulator.EnablePki();
        _emulator.AddPkiRole("web", ["example.com"], allowSubdomains: true);
        _emulator.AddPkiRole("leased", ["example.com"], allowSubdomains: true, generateLease: true);
        _client = new ApiClient(_emulator) { Token = _emulator.RootToken };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task Issue_ReturnsRealCertificateChainingToTheMountCa()
    {
        var reply = await _client.PostAsync("/v1/pki/issue/web", new { common_name = "api.example.com", alt_names = "www.example.com", ip_sans = "10.0.0.1", ttl = "24h" });

        Assert.Equal(200, reply.Status);
        Assert.Equal("", reply.Json.GetProperty("lease_id").GetString());
        Assert.Equal(0, reply.Json.GetProperty("lease_duration").GetInt32());
        var data = reply.Data;
        Assert.Equal(
            ["ca_chain", "certificate", "expiration", "issuing_ca", "not_before", "private_key", "private_key_type", "serial_number"],
            data.EnumerateObject().Select(property => property.Name));
        using var certificate = X509Certificate2.CreateFromPem(data.GetProperty("certificate").GetString(), data.GetProperty("private_key").GetString());
        using var ca = X509Certificate2.CreateFromPem(data.GetProperty("issuing_ca").GetString());
        Assert.Equal(_emulator.GetPkiCaPem().Trim(), data.GetProperty("issuing_ca").GetString()!.Trim());
        Assert.Equal("CN=api.example.com", certificate.Subject);
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal("rsa", data.GetProperty("private_key_type").GetString());
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", data.GetProperty("private_key").GetString(), StringComparison.Ordinal);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(certificate), string.Join(", ", chain.ChainStatus.Select(status => status.StatusInformation)));

        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["api.example.com", "www.example.com"], names.EnumerateDnsNames());
        Assert.Equal("10.0.0.1", names.EnumerateIPAddresses().Single().ToString());

        Assert.Equal(string.Join(':', certificate.SerialNumberBytes.ToArray().Select(part => part.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))), data.GetProperty("serial_number").GetString());
        Assert.Equal(new DateTimeOffset(certificate.NotAfter).ToUnixTimeSeconds(), data.GetProperty("expiration").GetInt64());
        Assert.Equal(new DateTimeOffset(certificate.NotBefore).ToUnixTimeSeconds(), data.GetProperty("not_before").GetInt64());
        Assert.InRange((certificate.NotAfter - certificate.NotBefore).TotalSeconds, (24 * 3600) + 29, (24 * 3600) + 31);
    }

    [Fact]
    public async Task Issue_GenerateLeaseRole_ReturnsNonRenewableLease()
    {
        var reply = await _client.PutAsync("/v1/pki/issue/leased", new { common_name = "api.example.com", ttl = "1h" });

        Assert.StartsWith("pki/issue/leased/", reply.Json.GetProperty("lease_id").GetString(), StringComparison.Ordinal);
        Assert.False(reply.Json.GetProperty("renewable").GetBoolean());
        Assert.InRange(reply.Json.GetProperty("lease_duration").GetInt32(), 3598, 3600);
    }

    [Fact]
    public async Task Issue_Pkcs8AndDer_AreHonoured()
    {
        var reply = await _client.PostAsync("/v1/pki/issue/web", new { common_name = "api.example.com", format = "der", private_key_format = "pkcs8" });

        using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(reply.Data.GetProperty("certificate").GetString()!));
        using var key = RSA.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(reply.Data.GetProperty("private_key").GetString()!), out _);
        Assert.Equal("CN=api.example.com", certificate.Subject);
    }

    [Theory]
    [InlineData("nope", "api.example.com", "", "unknown role: nope")]
    [InlineData("web", "api.other.org", "", "common name api.other.org not allowed by this role")]
    [InlineData("web", "example.com", "", "common name example.com not allowed by this role")]
    [InlineData("web", "api.example.com", "evil.org", "subject alternate name evil.org not allowed by this role")]
    [InlineData("web", "", "", "the common_name field is required, or must be provided in a CSR with \"use_csr_common_name\" set to true, unless \"require_cn\" is set to false")]
    public async Task Issue_Refused_Is400(string role, string commonName, string altNames, string message)
    {
        var reply = await _client.PostAsync($"/v1/pki/issue/{role}", new { common_name = commonName, alt_names = altNames });

        Assert.Equal(400, reply.Status);
        Assert.Equal([message], reply.Errors);
    }

    [Fact]
    public async Task Issue_TtlAboveMax_IsCappedWithWarning()
    {
        var reply = await _client.PostAsync("/v1/pki/issue/web", new { common_name = "api.example.com", ttl = "10000h" });

        Assert.Equal(["TTL \"10000h0m0s\" is longer than permitted maxTTL \"768h0m0s\", so maxTTL is being used"], reply.Warnings);
    }
}
