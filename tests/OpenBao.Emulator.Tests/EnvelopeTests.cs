using System.Text.RegularExpressions;

namespace OpenBao.Emulator.Tests;

public sealed partial class EnvelopeTests : IAsyncLifetime
{
    private OpenBaoEmulator _emulator = null!;

    public async Task InitializeAsync()
    {
        _emulator = await Seed.StartAsync(policies: "reader");
        _emulator.EnableKvV2();
        _emulator.PutKvV2("secret", "app", new Dictionary<string, object?> { ["password"] = "s3cr3t+/=" });
        _emulator.AddPolicy("reader", new PolicyRule("secret/data/*", "read"));
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task Read_HtmlCharactersAndLineSeparators_AreEscapedAsGoEscapesThem()
    {
        _emulator.PutKvV2("secret", "html", new Dictionary<string, object?> { ["v"] = "<a href='x?b=1&c=2'>\u2028\u2029é+</a>" });
        using var client = await Seed.LoginAsync(_emulator);

        var reply = await client.GetAsync("/v1/secret/data/html");

        Assert.Contains("\"v\":\"\\u003ca href='x?b=1\\u0026c=2'\\u003e\\u2028\\u2029é+\\u003c/a\\u003e\"", reply.Body, StringComparison.Ordinal);
        Assert.Equal("<a href='x?b=1&c=2'>\u2028\u2029é+</a>", reply.Json.GetProperty("data").GetProperty("data").GetProperty("v").GetString());
    }

    [Fact]
    public async Task Read_Success_HasEnvelopeKeysInOpenBaoOrderAndEndsWithNewline()
    {
        using var client = await Seed.LoginAsync(_emulator);

        var reply = await client.GetAsync("/v1/secret/data/app");

        Assert.Equal(200, reply.Status);
        Assert.EndsWith("}\n", reply.Body, StringComparison.Ordinal);
        Assert.Equal(
            ["request_id", "lease_id", "renewable", "lease_duration", "data", "wrap_info", "warnings", "auth"],
            reply.Json.EnumerateObject().Select(property => property.Name));
        Assert.Matches(UuidPattern(), reply.Json.GetProperty("request_id").GetString()!);
        Assert.Equal("", reply.Json.GetProperty("lease_id").GetString());
        Assert.False(reply.Json.GetProperty("renewable").GetBoolean());
        Assert.Equal(0, reply.Json.GetProperty("lease_duration").GetInt32());
        Assert.Equal("null", reply.Json.GetProperty("wrap_info").GetRawText());
        Assert.Equal("null", reply.Json.GetProperty("warnings").GetRawText());
        Assert.Equal("null", reply.Json.GetProperty("auth").GetRawText());
        Assert.Contains("\"s3cr3t+/=\"", reply.Body, StringComparison.Ordinal);
        Assert.True(reply.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Login_Success_AuthBlockHasOpenBaoShape()
    {
        using var client = new ApiClient(_emulator);

        var reply = await client.LoginAsync("app", Seed.AppJwt(_emulator));

        var auth = reply.Json.GetProperty("auth");
        Assert.Equal("null", reply.Data.GetRawText());
        Assert.Equal(
            ["client_token", "accessor", "policies", "token_policies", "metadata", "lease_duration", "renewable", "entity_id", "token_type", "orphan", "mfa_requirement", "num_uses"],
            auth.EnumerateObject().Select(property => property.Name));
        Assert.Matches(TokenPattern(), auth.GetProperty("client_token").GetString()!);
        Assert.Matches(AccessorPattern(), auth.GetProperty("accessor").GetString()!);
        Assert.Equal(["default", "reader"], auth.GetProperty("policies").EnumerateArray().Select(policy => policy.GetString()));
        Assert.Equal(3600, auth.GetProperty("lease_duration").GetInt32());
        Assert.True(auth.GetProperty("renewable").GetBoolean());
        Assert.Equal("service", auth.GetProperty("token_type").GetString());
        Assert.True(auth.GetProperty("orphan").GetBoolean());
        Assert.Equal("null", auth.GetProperty("mfa_requirement").GetRawText());
        Assert.Matches(UuidPattern(), auth.GetProperty("entity_id").GetString()!);
    }

    public static TheoryData<string, string, bool, int, string> ErrorCases => new()
    {
        // method, path, use root token, status, exact body
        { "GET", "/v1/secret/data/missing", true, 404, "{\"errors\":[]}\n" },
        { "GET", "/v1/nothing/mounted/here", true, 404, "{\"errors\":[\"no handler for route \\\"nothing/mounted/here\\\". route entry not found.\"]}\n" },
        { "GET", "/v1/secret/data/app", false, 403, "{\"errors\":[\"permission denied\"]}\n" },
        { "DELETE", "/v1/auth/token/lookup-self", true, 405, "{\"errors\":[\"1 error occurred:\\n\\t* unsupported operation\\n\\n\"]}\n" },
        { "GET", "/v1/sys/unknown", true, 404, "{\"errors\":[\"1 error occurred:\\n\\t* unsupported path\\n\\n\"]}\n" },
        { "OPTIONS", "/v1/secret/data/app", true, 405, "{\"errors\":[]}\n" },
    };

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public async Task Error_Shape_IsExact(string method, string path, bool useRootToken, int status, string body)
    {
        using var client = new ApiClient(_emulator) { Token = useRootToken ? _emulator.RootToken : null };

        var reply = await client.SendAsync(new HttpMethod(method), path);

        Assert.Equal(status, reply.Status);
        Assert.Equal(body, reply.Body);
        Assert.True(reply.CacheControl?.NoStore);
    }

    [Fact]
    public async Task PolicyDenied_ValidToken_IsWrappedPermissionDenied()
    {
        using var client = await Seed.LoginAsync(_emulator);

        var reply = await client.GetAsync("/v1/sys/leases/lookup");

        Assert.Equal(403, reply.Status);
        Assert.Equal("{\"errors\":[\"1 error occurred:\\n\\t* permission denied\\n\\n\"]}\n", reply.Body);
    }

    [Fact]
    public async Task MalformedJson_Write_Is400()
    {
        using var client = new ApiClient(_emulator);

        var reply = await client.PostAsync("/v1/auth/kubernetes/login", "{not json");

        Assert.Equal(400, reply.Status);
        Assert.StartsWith("failed to parse JSON input: ", reply.Errors.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void RootToken_HasOpenBaoFormat()
    {
        Assert.Matches(TokenPattern(), _emulator.RootToken);
    }

    [GeneratedRegex("^s\\.[0-9A-Za-z]{24}$")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("^[0-9A-Za-z]{24}$")]
    private static partial Regex AccessorPattern();

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex UuidPattern();
}
