using System.Text;
using System.Text.Json;
using OpenBao.Csi.Provider.Mounting;
using OpenBao.Csi.Provider.Rendering;

namespace OpenBao.Csi.Provider.Tests.Rendering;

public sealed class SecretRendererTests
{
    private const string KvV2Response = """
        {"request_id":"r","lease_id":"","renewable":false,"lease_duration":0,
         "data":{"data":{"password":"s3cr3t","port":5432,"nested":{"a":[1,2]},"b64":"aGVsbG8=","hex":"68656c6c6f"},
                 "metadata":{"created_time":"2026-11-23T10:00:00Z","custom_metadata":null,"deletion_time":"","destroyed":false,"version":2}},
         "wrap_info":null,"warnings":null,"auth":null}
        """;

    private const string KvV1Response = """
        {"request_id":"r","lease_id":"","renewable":false,"lease_duration":2764800,"data":{"password":"v1pass","data":"not-kv2"},"wrap_info":null,"warnings":null,"auth":null}
        """;

    private static SecretObject Object(string? key, SecretEncoding encoding = SecretEncoding.Utf8, int? mode = null) =>
        new("file", "secret/data/app", null, key, "GET", null, encoding, mode);

    private static string RenderText(string response, SecretObject secret) =>
        Encoding.UTF8.GetString(SecretRenderer.Render(secret, JsonDocument.Parse(response).RootElement, 420).Contents);

    [Theory]
    [InlineData("password", "s3cr3t")]
    [InlineData("port", "5432")]
    [InlineData("nested", """{"a":[1,2]}""")]
    public void Render_KvV2_UnwrapsDataAndSerialisesNonStrings(string key, string expected)
    {
        Assert.Equal(expected, RenderText(KvV2Response, Object(key)));
    }

    [Fact]
    public void Render_KvV1_ReadsDataDirectly()
    {
        Assert.Equal("v1pass", RenderText(KvV1Response, Object("password")));
        Assert.Equal("not-kv2", RenderText(KvV1Response, Object("data")));
    }

    [Theory]
    [InlineData("b64", "Base64")]
    [InlineData("hex", "Hex")]
    [InlineData("hex", "Utf8", "68656c6c6f")]
    public void Render_Encodings_Decode(string key, string encoding, string expected = "hello")
    {
        Assert.Equal(expected, RenderText(KvV2Response, Object(key, Enum.Parse<SecretEncoding>(encoding))));
    }

    [Fact]
    public void Render_NoSecretKey_WritesTheResponseAsTheGoProvidersDo()
    {
        // As real OpenBao sends a KV v2 read, field order and all.
        const string Response = """{"request_id":"5f0c","lease_id":"","renewable":false,"lease_duration":0,"data":{"data":{"pem":"a+b\n\u003cc\u003e"},"metadata":{"version":2}},"wrap_info":null,"warnings":null,"auth":null,"mount_type":"kv"}""";

        var json = RenderText(Response, Object(null));

        // json.Marshal of the Go client's Secret: its fields in its order, auth and wrap_info omitted when null.
        Assert.Equal("""{"request_id":"5f0c","lease_id":"","lease_duration":0,"renewable":false,"data":{"data":{"pem":"a+b\n\u003cc\u003e"},"metadata":{"version":2}},"warnings":null}""", json);
    }

    [Fact]
    public void Render_NoSecretKey_MissingFieldsAreGoZeroValues_AuthKeptWhenSet()
    {
        var json = RenderText("""{"data":{"k":"v"},"warnings":["capped"],"auth":{"accessor":"a"}}""", Object(null));

        Assert.Equal("""{"request_id":"","lease_id":"","lease_duration":0,"renewable":false,"data":{"k":"v"},"warnings":["capped"],"auth":{"accessor":"a"}}""", json);
    }

    [Fact]
    public void Render_PemValues_KeepTheirBytes()
    {
        const string pki = """{"data":{"certificate":"-----BEGIN CERTIFICATE-----\nMIIB+/a+b==\n-----END CERTIFICATE-----","ttl":{"unicode":"ü+"}}}""";

        Assert.Contains("MIIB+/a+b==", RenderText(pki, Object(null)), StringComparison.Ordinal);
        Assert.Equal("-----BEGIN CERTIFICATE-----\nMIIB+/a+b==\n-----END CERTIFICATE-----", RenderText(pki, Object("certificate")));
        Assert.Equal("""{"unicode":"ü+"}""", RenderText(pki, Object("ttl")));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("""{"request_id":"r","data":null,"warnings":null}""")]
    public void Render_NoData_FailsInsteadOfWritingNull(string response)
    {
        var error = Assert.Throws<RenderException>(() => RenderText(response, Object(null)));

        Assert.Contains("OpenBao returned no data for GET secret/data/app", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PlainJsonWithoutEnvelope_IsTheDataLikeGo()
    {
        // identity/oidc/.well-known/keys answers a bare JWKS.
        const string Keys = """{"keys":[{"kid":"k1","kty":"RSA"}]}""";

        Assert.Equal("""[{"kid":"k1","kty":"RSA"}]""", RenderText(Keys, Object("keys")));
        Assert.Equal("""{"request_id":"","lease_id":"","lease_duration":0,"renewable":false,"data":{"keys":[{"kid":"k1","kty":"RSA"}]},"warnings":null}""", RenderText(Keys, Object(null)));
    }

    [Fact]
    public void Render_NestedDataWithoutMetadata_IsUnwrappedLikeGo()
    {
        Assert.Equal("inner", RenderText("""{"data":{"data":{"k":"inner"}}}""", Object("k")));
    }

    [Theory]
    [InlineData(null, 420)]
    [InlineData(384, 384)]
    public void Render_FileMode_FallsBackToRequestDefault(int? mode, int expected)
    {
        var file = SecretRenderer.Render(Object("password", mode: mode), JsonDocument.Parse(KvV2Response).RootElement, 420);

        Assert.Equal(expected, file.Mode);
        Assert.Equal("file", file.Path);
    }

    [Fact]
    public void Render_MissingKey_IsKeyMissingWithoutValues()
    {
        var error = Assert.Throws<RenderException>(() => RenderText(KvV2Response, Object("nope")));

        Assert.True(error.KeyMissing);
        Assert.Contains("key 'nope' does not exist", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("password", "Base64", "is not valid base64")]
    [InlineData("password", "Hex", "is not valid hex")]
    [InlineData("port", "Base64", "holds a JSON number")]
    public void Render_UndecodableValue_FailsWithoutEchoingIt(string key, string encoding, string expected)
    {
        var error = Assert.Throws<RenderException>(() => RenderText(KvV2Response, Object(key, Enum.Parse<SecretEncoding>(encoding))));

        Assert.False(error.KeyMissing);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_DoesNotRevealContents()
    {
        var file = SecretRenderer.Render(Object("password"), JsonDocument.Parse(KvV2Response).RootElement, 420);

        Assert.DoesNotContain("s3cr3t", file.ToString(), StringComparison.Ordinal);
    }
}
