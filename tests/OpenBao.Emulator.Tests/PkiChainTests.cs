using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace OpenBao.Emulator.Tests;

/// <summary>A PKI mount whose issuer is an intermediate CA under a separate root.</summary>
public sealed class PkiChainTests : IAsyncLifetime
{
    private OpenBaoEmulator _emulator = null!;
    private ApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _emulator = await OpenBaoEmulator.StartAsync();
        _emulator.EnablePki("pki", withIntermediateCa: true);
        _emulator.AddPkiRole("web", ["example.com"], allowSubdomains: true);
        _emulator.EnablePki("flat");
        _emulator.AddPkiRole("web", ["example.com"], allowSubdomains: true, mount: "flat");
        _client = new ApiClient(_emulator) { Token = _emulator.RootToken };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task Issue_ReturnsLeafIssuingIntermediateAndChainIntermediateThenRoot()
    {
        var data = (await IssueAsync(new { common_name = "api.example.com", ttl = "1h" })).Data;

        Assert.Equal(
            ["ca_chain", "certificate", "expiration", "issuing_ca", "not_before", "private_key", "private_key_type", "serial_number"],
            data.EnumerateObject().Select(property => property.Name));
        Assert.Equal("rsa", data.GetProperty("private_key_type").GetString());
        Assert.Equal(_emulator.GetPkiIntermediateCaPem(), data.GetProperty("issuing_ca").GetString());
        Assert.Equal(_emulator.GetPkiCaPem(), data.GetProperty("issuing_ca").GetString());
        Assert.Equal([_emulator.GetPkiIntermediateCaPem(), _emulator.GetPkiRootCaPem()], Strings(data.GetProperty("ca_chain")));
        Assert.NotEqual(_emulator.GetPkiRootCaPem(), _emulator.GetPkiIntermediateCaPem());

        using var leaf = X509Certificate2.CreateFromPem(data.GetProperty("certificate").GetString(), data.GetProperty("private_key").GetString());
        using var intermediate = X509Certificate2.CreateFromPem(_emulator.GetPkiIntermediateCaPem());
        using var root = X509Certificate2.CreateFromPem(_emulator.GetPkiRootCaPem());
        Assert.True(leaf.HasPrivateKey);
        Assert.Equal("CN=api.example.com", leaf.Subject);
        Assert.Equal(intermediate.Subject, leaf.Issuer);
        Assert.Equal(root.Subject, intermediate.Issuer);
        Assert.Equal(root.Subject, root.Issuer);
        Assert.Equal(new DateTimeOffset(leaf.NotAfter).ToUnixTimeSeconds(), data.GetProperty("expiration").GetInt64());
    }

    [Fact]
    public async Task Issue_ChainVerifiesWhenTrustingOnlyTheRoot()
    {
        var data = (await IssueAsync(new { common_name = "api.example.com" })).Data;
        using var leaf = X509Certificate2.CreateFromPem(data.GetProperty("certificate").GetString());
        var chainPems = Strings(data.GetProperty("ca_chain"));
        using var intermediate = X509Certificate2.CreateFromPem(chainPems[0]);
        using var root = X509Certificate2.CreateFromPem(_emulator.GetPkiRootCaPem());

        using var chain = NewChain(root);
        chain.ChainPolicy.ExtraStore.Add(intermediate);

        Assert.True(chain.Build(leaf), string.Join(", ", chain.ChainStatus.Select(status => status.StatusInformation)));
        Assert.Equal([leaf.Thumbprint, intermediate.Thumbprint, root.Thumbprint], chain.ChainElements.Select(element => element.Certificate.Thumbprint));
    }

    [Fact]
    public async Task Issue_WithoutTheIntermediate_RootAloneCannotVerifyTheLeaf()
    {
        var data = (await IssueAsync(new { common_name = "api.example.com" })).Data;
        using var leaf = X509Certificate2.CreateFromPem(data.GetProperty("certificate").GetString());
        using var root = X509Certificate2.CreateFromPem(_emulator.GetPkiRootCaPem());

        using var chain = NewChain(root);

        Assert.False(chain.Build(leaf));
    }

    [Fact]
    public async Task Issue_LeafIsSignedByTheIntermediate_WhichIsSignedByTheRoot()
    {
        var data = (await IssueAsync(new { common_name = "api.example.com" })).Data;
        using var leaf = X509Certificate2.CreateFromPem(data.GetProperty("certificate").GetString());
        using var intermediate = X509Certificate2.CreateFromPem(_emulator.GetPkiIntermediateCaPem());
        using var root = X509Certificate2.CreateFromPem(_emulator.GetPkiRootCaPem());

        Assert.True(IsSignedBy(leaf, intermediate));
        Assert.False(IsSignedBy(leaf, root));
        Assert.True(IsSignedBy(intermediate, root));
        Assert.True(IsSignedBy(root, root));
    }

    [Fact]
    public void Certificates_CarryCaConstraintsKeyUsageAndLinkedKeyIdentifiers()
    {
        using var intermediate = X509Certificate2.CreateFromPem(_emulator.GetPkiIntermediateCaPem());
        using var root = X509Certificate2.CreateFromPem(_emulator.GetPkiRootCaPem());

        foreach (var ca in (X509Certificate2[])[intermediate, root])
        {
            var constraints = ca.Extensions.OfType<X509BasicConstraintsExtension>().Single();
            Assert.True(constraints.CertificateAuthority);
            Assert.True(constraints.Critical);
            Assert.False(constraints.HasPathLengthConstraint);
            var usage = ca.Extensions.OfType<X509KeyUsageExtension>().Single();
            Assert.True(usage.Critical);
            Assert.True(usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
            Assert.True(usage.KeyUsages.HasFlag(X509KeyUsageFlags.CrlSign));
        }

        var intermediateAki = intermediate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single();
        var rootSki = root.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single();
        Assert.Equal(rootSki.SubjectKeyIdentifierBytes.ToArray(), intermediateAki.KeyIdentifier!.Value.ToArray());
        Assert.NotEqual(rootSki.SubjectKeyIdentifier, intermediate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier);
    }

    [Fact]
    public async Task Issue_LeafIsAnEndEntityWhoseAkiIsTheIntermediateSki()
    {
        var data = (await IssueAsync(new { common_name = "api.example.com" })).Data;
        using var leaf = X509Certificate2.CreateFromPem(data.GetProperty("certificate").GetString());
        using var intermediate = X509Certificate2.CreateFromPem(_emulator.GetPkiIntermediateCaPem());

        Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.False(leaf.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
        Assert.Equal(
            intermediate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes.ToArray(),
            leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier!.Value.ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData("true")]
    public async Task Issue_RemoveRootsFromChain_LeavesOnlyTheIntermediate(object flag)
    {
        var data = (await IssueAsync(new { common_name = "api.example.com", remove_roots_from_chain = flag })).Data;

        Assert.Equal([_emulator.GetPkiIntermediateCaPem()], Strings(data.GetProperty("ca_chain")));
    }

    [Fact]
    public async Task Issue_RemoveRootsFromChain_OnARootIssuer_OmitsCaChain()
    {
        var reply = await _client.PostAsync("/v1/flat/issue/web", new { common_name = "api.example.com", remove_roots_from_chain = true });

        Assert.Equal(200, reply.Status);
        Assert.False(reply.Data.TryGetProperty("ca_chain", out _));
        Assert.Equal(_emulator.GetPkiRootCaPem("flat"), reply.Data.GetProperty("issuing_ca").GetString());
    }

    [Fact]
    public async Task Issue_RemoveRootsFromChain_NotABool_Is400()
    {
        var reply = await IssueAsync(new { common_name = "api.example.com", remove_roots_from_chain = "maybe" });

        Assert.Equal(400, reply.Status);
    }

    [Fact]
    public async Task Issue_PemBundle_HoldsKeyLeafIntermediateAndRootInThatOrder()
    {
        var data = (await IssueAsync(new { common_name = "api.example.com", format = "pem_bundle" })).Data;
        var bundle = data.GetProperty("certificate").GetString()!;

        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", bundle, StringComparison.Ordinal);
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPem(bundle);
        Assert.Equal(3, certificates.Count);
        Assert.Equal("CN=api.example.com", certificates[0].Subject);
        Assert.Equal(Thumbprint(_emulator.GetPkiIntermediateCaPem()), certificates[1].Thumbprint);
        Assert.Equal(Thumbprint(_emulator.GetPkiRootCaPem()), certificates[2].Thumbprint);
        Assert.Equal(2, data.GetProperty("ca_chain").GetArrayLength());
    }

    [Fact]
    public async Task Issue_Der_ChainIsBase64DerIntermediateThenRoot()
    {
        var data = (await IssueAsync(new { common_name = "api.example.com", format = "der" })).Data;

        var chain = Strings(data.GetProperty("ca_chain")).Select(DerThumbprint).ToList();
        Assert.Equal([Thumbprint(_emulator.GetPkiIntermediateCaPem()), Thumbprint(_emulator.GetPkiRootCaPem())], chain);
        Assert.Equal(chain[0], DerThumbprint(data.GetProperty("issuing_ca").GetString()!));
    }

    [Fact]
    public async Task SingleLevelMount_IssuesFromTheRoot_AndHasNoIntermediate()
    {
        var data = (await _client.PostAsync("/v1/flat/issue/web", new { common_name = "api.example.com" })).Data;

        Assert.Equal(_emulator.GetPkiRootCaPem("flat"), _emulator.GetPkiCaPem("flat"));
        Assert.Equal([_emulator.GetPkiRootCaPem("flat")], Strings(data.GetProperty("ca_chain")));
        Assert.Throws<InvalidOperationException>(() => _emulator.GetPkiIntermediateCaPem("flat"));
        Assert.NotEqual(_emulator.GetPkiRootCaPem(), _emulator.GetPkiRootCaPem("flat"));
    }

    private static X509Chain NewChain(X509Certificate2 root)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        return chain;
    }

    /// <summary>Checks the signature itself, so "signed by" does not rest on names that could merely match.</summary>
    private static bool IsSignedBy(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        var outer = new AsnReader(certificate.RawData, AsnEncodingRules.DER).ReadSequence();
        var toBeSigned = outer.ReadEncodedValue();
        outer.ReadSequence();
        var signature = outer.ReadBitString(out _);
        using var key = issuer.GetECDsaPublicKey()!;
        return key.VerifyData(toBeSigned.Span, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    private static string Thumbprint(string pem)
    {
        using var certificate = X509Certificate2.CreateFromPem(pem);
        return certificate.Thumbprint;
    }

    private static string DerThumbprint(string base64)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(base64));
        return certificate.Thumbprint;
    }

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(item => item.GetString()!)];

    private Task<ApiReply> IssueAsync(object body) => _client.PostAsync("/v1/pki/issue/web", body);
}
