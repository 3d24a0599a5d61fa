using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenBao.Csi.Provider.Mounting;
using OpenBao.Csi.Provider.Rendering;
using OpenBao.Csi.Provider.Versioning;
using YamlDotNet.RepresentationModel;

namespace OpenBao.Csi.Provider.Tests.Rendering;

public sealed class FileFormatTests
{
    /// <summary>Values that break naive quoting in every format.</summary>
    private static readonly Dictionary<string, string> Awkward = new()
    {
        ["PLAIN"] = "s3cr3t",
        ["QUOTES"] = "it's \"quoted\" 'twice'",
        ["DOLLAR"] = "$HOME `id` $(id) ${X}",
        ["BACKSLASH"] = @"C:\path\n\t\\",
        ["NEWLINES"] = "line one\nline two\n\ntrailing\n",
        ["UNICODE"] = "ünïcödé 🔑 日本",
        ["NO"] = "no",
        ["ZEROS"] = "0123",
        ["EMPTY"] = "",
        ["SPACES"] = "  leading and trailing  ",
    };

    private static JsonElement KvV2(IReadOnlyDictionary<string, string> data) =>
        JsonDocument.Parse(new JsonObject { ["data"] = new JsonObject { ["data"] = JsonSerializer.SerializeToNode(data), ["metadata"] = new JsonObject { ["version"] = 3 } } }.ToJsonString()).RootElement;

    private static SecretObject Formatted(string format, IReadOnlyList<string>? keys = null, string? password = null) =>
        new("file", "secret/data/app", null, null, "GET", null, SecretEncoding.Utf8, null, Format: format, Keys: keys, Pkcs12Password: password);

    private static string Text(string format, JsonElement response, IReadOnlyList<string>? keys = null) =>
        Encoding.UTF8.GetString(SecretRenderer.Render(Formatted(format, keys), response, 420).Contents);

    [Fact]
    public void Json_AllKeysAsStored_RoundTrips()
    {
        var text = Text("json", JsonDocument.Parse("""{"data":{"data":{"port":5432,"tls":true,"pem":"a+b/c=","nested":{"x":[1]}}}}""").RootElement);

        var parsed = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(["port", "tls", "pem", "nested"], parsed.Select(p => p.Key));
        Assert.Equal(5432, parsed["port"]!.GetValue<int>());
        Assert.Contains("\"a+b/c=\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_AwkwardValues_ReadBackExactlyAsStrings()
    {
        var text = Text("yaml", KvV2(Awkward));

        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var mapping = (YamlMappingNode)stream.Documents[0].RootNode;
        Assert.Equal(Awkward.Count, mapping.Children.Count);
        foreach (var (key, value) in Awkward)
        {
            var scalar = (YamlScalarNode)mapping.Children[new YamlScalarNode(key)];
            Assert.Equal(value, scalar.Value);
            Assert.Equal(YamlDotNet.Core.ScalarStyle.DoubleQuoted, scalar.Style);
        }
    }

    [Fact]
    public async Task Env_SourcedByPosixSh_GivesExactlyTheValues()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllBytesAsync(file, SecretRenderer.Render(Formatted("env"), KvV2(Awkward), 420).Contents);
        try
        {
            var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true };
            start.ArgumentList.Add("-c");
            // NUL-separated so trailing newlines and empty values survive the trip back.
            start.ArgumentList.Add($"set -a; . '{file}'; printf '%s\\0' {string.Join(' ', Awkward.Keys.Select(k => $"\"${k}\""))}");
            using var shell = Process.Start(start)!;
            var output = await shell.StandardOutput.ReadToEndAsync();
            await shell.WaitForExitAsync();

            Assert.Equal(0, shell.ExitCode);
            Assert.Equal(Awkward.Values, output.Split('\0')[..^1]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("my-key", "key 'my-key' is not a shell variable name")]
    [InlineData("9LIVES", "key '9LIVES' is not a shell variable name")]
    public void Env_KeyThatIsNotAVariableName_InvalidArgumentNamingIt(string key, string message)
    {
        var error = Assert.Throws<RenderException>(() => Text("env", KvV2(new Dictionary<string, string> { [key] = "v" })));

        Assert.False(error.KeyMissing);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_SelectAndOrder_MissingKeyIsNotFound()
    {
        var response = KvV2(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2", ["c"] = "3" });

        var text = Text("env", response, ["c", "a"]);
        var missing = Assert.Throws<RenderException>(() => Text("json", response, ["a", "nope"]));

        Assert.Equal("c='3'\na='1'\n", text);
        Assert.True(missing.KeyMissing);
        Assert.Contains("key 'nope' listed in keys", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PemChain_ShuffledAndDuplicatedCaChain_LeafThenIssuersUpToTheRoot()
    {
        using var pki = TwoLevelPki.Create();
        var response = pki.IssueResponse(caChain: [pki.Root.ExportCertificatePem(), pki.Intermediate.ExportCertificatePem(), pki.Root.ExportCertificatePem()]);

        var pem = Text("pem-chain", response);

        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPem(pem);
        Assert.Equal([pki.Leaf.Thumbprint, pki.Intermediate.Thumbprint, pki.Root.Thumbprint], certificates.Select(c => c.Thumbprint));
        Assert.DoesNotContain("PRIVATE KEY", pem, StringComparison.Ordinal);
    }

    [Fact]
    public void PemBundle_KeyThenLeafThenChain()
    {
        using var pki = TwoLevelPki.Create();

        var pem = Text("pem-bundle", pki.IssueResponse(caChain: [pki.Intermediate.ExportCertificatePem(), pki.Root.ExportCertificatePem()]));

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem, StringComparison.Ordinal);
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPem(pem);
        Assert.Equal([pki.Leaf.Thumbprint, pki.Intermediate.Thumbprint, pki.Root.Thumbprint], certificates.Select(c => c.Thumbprint));
    }

    [Fact]
    public async Task Pkcs12_OpenedByDotNetAndOpenssl_WithTheRightKeyAndChain()
    {
        using var pki = TwoLevelPki.Create();
        var bytes = SecretRenderer.Render(Formatted("pkcs12", password: "changeit"), pki.IssueResponse(caChain: [pki.Intermediate.ExportCertificatePem(), pki.Root.ExportCertificatePem()]), 420).Contents;

        var loaded = X509CertificateLoader.LoadPkcs12Collection(bytes, "changeit");
        var leaf = Assert.Single(loaded, c => c.HasPrivateKey);
        Assert.Equal(pki.Leaf.Thumbprint, leaf.Thumbprint);
        Assert.Equal(pki.LeafKey.ExportSubjectPublicKeyInfo(), leaf.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfo());
        Assert.Equal(3, loaded.Count);

        var file = Path.GetTempFileName();
        await File.WriteAllBytesAsync(file, bytes);
        try
        {
            var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "pkcs12", "-in", file, "-passin", "pass:changeit", "-nodes" })
            {
                start.ArgumentList.Add(arg);
            }

            using var openssl = Process.Start(start)!;
            var output = await openssl.StandardOutput.ReadToEndAsync();
            await openssl.WaitForExitAsync();
            Assert.Equal(0, openssl.ExitCode);
            Assert.Equal(3, output.Split("BEGIN CERTIFICATE").Length - 1);
            Assert.Contains("BEGIN PRIVATE KEY", output, StringComparison.Ordinal);

            // Java's keytool where a JDK is installed (CI machines have one): one key entry with a chain of 3.
            if (File.Exists("/usr/bin/keytool"))
            {
                var keytool = new ProcessStartInfo("keytool") { RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var arg in new[] { "-list", "-v", "-keystore", file, "-storetype", "PKCS12", "-storepass", "changeit" })
                {
                    keytool.ArgumentList.Add(arg);
                }

                using var java = Process.Start(keytool)!;
                var listing = await java.StandardOutput.ReadToEndAsync();
                await java.WaitForExitAsync();
                Assert.Equal(0, java.ExitCode);
                Assert.Contains("PrivateKeyEntry", listing, StringComparison.Ordinal);
                Assert.Contains("Certificate chain length: 3", listing, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Pkcs12_KeyOfAnotherCertificate_InvalidArgument()
    {
        using var pki = TwoLevelPki.Create();
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.Throws<RenderException>(() => Text("pkcs12", pki.IssueResponse(privateKeyPem: otherKey.ExportPkcs8PrivateKeyPem())));

        Assert.False(error.KeyMissing);
        Assert.Contains("does not match its certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pkcs12_SameBytesAndVersionUntilTheInputChanges_SoTheDriverLeavesTheFileAlone()
    {
        using var pki = TwoLevelPki.Create();
        var response = pki.IssueResponse();
        var key = RandomNumberGenerator.GetBytes(32);

        var first = SecretRenderer.Render(Formatted("pkcs12"), response, 420);
        var second = SecretRenderer.Render(Formatted("pkcs12"), response, 420);
        var otherPassword = SecretRenderer.Render(Formatted("pkcs12", password: "x"), response, 420);
        var reissued = SecretRenderer.Render(Formatted("pkcs12"), TwoLevelPki.Create().IssueResponse(), 420);

        Assert.Equal(first.Contents, second.Contents);
        Assert.NotEqual(first.Contents, otherPassword.Contents);
        Assert.NotEqual(first.Contents, reissued.Contents);
        Assert.Equal(ObjectVersioner.Compute(key, first), ObjectVersioner.Compute(key, second));
        Assert.NotEqual(ObjectVersioner.Compute(key, first), ObjectVersioner.Compute(key, otherPassword));
        Assert.NotEqual(ObjectVersioner.Compute(key, first), ObjectVersioner.Compute(key, reissued));
    }

    /// <summary>Root → intermediate → leaf, as an OpenBao PKI mount whose issuer is an intermediate.</summary>
    private sealed class TwoLevelPki : IDisposable
    {
        public required X509Certificate2 Root { get; init; }

        public required X509Certificate2 Intermediate { get; init; }

        public required X509Certificate2 Leaf { get; init; }

        public required ECDsa LeafKey { get; init; }

        public static TwoLevelPki Create()
        {
            var now = DateTimeOffset.UtcNow;
            using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var rootRequest = new CertificateRequest("CN=Test Root", rootKey, HashAlgorithmName.SHA256);
            rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
            var root = rootRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));

            using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var intermediateRequest = new CertificateRequest("CN=Test Intermediate", intermediateKey, HashAlgorithmName.SHA256);
            intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            intermediateRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(intermediateRequest.PublicKey, false));
            intermediateRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
            using var intermediatePublic = intermediateRequest.Create(root, now.AddMinutes(-5), now.AddMonths(6), [1]);
            var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);

            var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var leafRequest = new CertificateRequest("CN=app.shop.svc", leafKey, HashAlgorithmName.SHA256);
            leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediate, true, false));
            var leaf = leafRequest.Create(intermediate, now.AddMinutes(-5), now.AddDays(1), [2]);
            return new TwoLevelPki { Root = root, Intermediate = intermediate, Leaf = leaf, LeafKey = leafKey };
        }

        public JsonElement IssueResponse(IReadOnlyList<string>? caChain = null, string? privateKeyPem = null)
        {
            var data = new JsonObject
            {
                ["certificate"] = Leaf.ExportCertificatePem(),
                ["issuing_ca"] = Intermediate.ExportCertificatePem(),
                ["ca_chain"] = new JsonArray([.. (caChain ?? [Intermediate.ExportCertificatePem(), Root.ExportCertificatePem()]).Select(p => (JsonNode)p)]),
                ["private_key"] = privateKeyPem ?? LeafKey.ExportPkcs8PrivateKeyPem(),
                ["private_key_type"] = "ec",
                ["serial_number"] = "02",
            };
            return JsonDocument.Parse(new JsonObject { ["lease_id"] = "", ["data"] = data }.ToJsonString()).RootElement;
        }

        public void Dispose()
        {
            Root.Dispose();
            Intermediate.Dispose();
            Leaf.Dispose();
            LeafKey.Dispose();
        }
    }
}
