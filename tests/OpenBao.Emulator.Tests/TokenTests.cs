using System.Net.Http.Headers;
using System.Text.Json;

namespace OpenBao.Emulator.Tests;

public sealed class TokenTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new();
    private OpenBaoEmulator _emulator = null!;

    public async Task InitializeAsync()
    {
        _emulator = await Seed.StartAsync(new EmulatorOptions { TimeProvider = _clock }, "reader");
        _emulator.EnableKvV2();
        _emulator.PutKvV2("secret", "app", new Dictionary<string, object?> { ["k"] = "v" });
        _emulator.AddPolicy("reader", new PolicyRule("secret/data/*", "read"));
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task LookupSelf_LoginToken_DescribesIt()
    {
        using var client = await Seed.LoginAsync(_emulator);
        _clock.Advance(TimeSpan.FromMinutes(10));

        var data = (await client.GetAsync("/v1/auth/token/lookup-self")).Data;

        Assert.Equal(client.Token, data.GetProperty("id").GetString());
        Assert.Equal(["default", "reader"], data.GetProperty("policies").EnumerateArray().Select(policy => policy.GetString()));
        Assert.Equal(3000, data.GetProperty("ttl").GetInt32());
        Assert.Equal(3600, data.GetProperty("creation_ttl").GetInt32());
        Assert.Equal("kubernetes-shop-app", data.GetProperty("display_name").GetString());
        Assert.Equal("auth/kubernetes/login", data.GetProperty("path").GetString());
        Assert.Equal("service", data.GetProperty("type").GetString());
        Assert.True(data.GetProperty("renewable").GetBoolean());
        Assert.Equal("app", data.GetProperty("meta").GetProperty("role").GetString());
        Assert.Equal(
            _clock.GetUtcNow() + TimeSpan.FromMinutes(50),
            DateTimeOffset.Parse(data.GetProperty("expire_time").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task LookupSelf_RootToken_NeverExpires()
    {
        using var client = new ApiClient(_emulator) { Token = _emulator.RootToken };

        var data = (await client.GetAsync("/v1/auth/token/lookup-self")).Data;

        Assert.Equal(["root"], data.GetProperty("policies").EnumerateArray().Select(policy => policy.GetString()));
        Assert.Equal(JsonValueKind.Null, data.GetProperty("expire_time").ValueKind);
        Assert.Equal(0, data.GetProperty("ttl").GetInt32());
        Assert.Equal("auth/token/root", data.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Token_PastItsTtl_IsPermissionDenied()
    {
        using var client = await Seed.LoginAsync(_emulator);
        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(200, (await client.GetAsync("/v1/secret/data/app")).Status);

        _clock.Advance(TimeSpan.FromMinutes(1));
        var reply = await client.GetAsync("/v1/secret/data/app");

        Assert.Equal(403, reply.Status);
        Assert.Equal(["permission denied"], reply.Errors);
    }

    [Fact]
    public async Task RenewSelf_WithIncrement_ExtendsTheToken()
    {
        using var client = await Seed.LoginAsync(_emulator);
        _clock.Advance(TimeSpan.FromMinutes(50));

        var reply = await client.PostAsync("/v1/auth/token/renew-self", new { increment = "2h" });
        _clock.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal(200, reply.Status);
        var auth = reply.Json.GetProperty("auth");
        Assert.Equal(client.Token, auth.GetProperty("client_token").GetString());
        Assert.Equal(7200, auth.GetProperty("lease_duration").GetInt32());
        Assert.Equal(200, (await client.GetAsync("/v1/secret/data/app")).Status);
    }

    [Fact]
    public async Task RenewSelf_BeyondMountMax_IsCappedWithWarning()
    {
        using var client = await Seed.LoginAsync(_emulator);
        _clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));

        var reply = await client.PutAsync("/v1/auth/token/renew-self", new { increment = 768 * 3600 });

        Assert.Equal(768 * 3600 - 3599, reply.Json.GetProperty("auth").GetProperty("lease_duration").GetInt32());
        Assert.Equal(["TTL of \"768h\" exceeded the effective max_ttl of \"767h1s\"; TTL value is capped accordingly"], reply.Warnings);
    }

    [Fact]
    public async Task RenewSelf_RootToken_Is400()
    {
        using var client = new ApiClient(_emulator) { Token = _emulator.RootToken };

        var reply = await client.PostAsync("/v1/auth/token/renew-self");

        Assert.Equal(400, reply.Status);
        Assert.Equal(["invalid lease ID"], reply.Errors);
    }

    [Fact]
    public async Task RevokeSelf_Is204_ThenTokenIsDead()
    {
        using var client = await Seed.LoginAsync(_emulator);

        var revoke = await client.PostAsync("/v1/auth/token/revoke-self");
        var after = await client.GetAsync("/v1/auth/token/lookup-self");

        Assert.Equal(204, revoke.Status);
        Assert.Equal("", revoke.Body);
        Assert.Equal(403, after.Status);
        Assert.Equal(["permission denied"], after.Errors);
    }

    [Fact]
    public async Task RevokeAllTokens_KillsLoginTokensButNotRoot()
    {
        using var client = await Seed.LoginAsync(_emulator);
        using var root = new ApiClient(_emulator) { Token = _emulator.RootToken };

        _emulator.RevokeAllTokens();

        Assert.Equal(403, (await client.GetAsync("/v1/secret/data/app")).Status);
        Assert.Equal(200, (await root.GetAsync("/v1/secret/data/app")).Status);
    }

    [Theory]
    [InlineData(null, "login", 200)]
    [InlineData("unknown", "login", 403)]
    [InlineData("login", "unknown", 200)]
    [InlineData(null, null, 403)]
    public async Task TokenHeaders_XVaultTokenWinsOverBearer(string? vaultHeader, string? bearer, int status)
    {
        using var login = await Seed.LoginAsync(_emulator);
        using var client = new ApiClient(_emulator);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/secret/data/app");
        string? Resolve(string? which) => which switch { "login" => login.Token, "unknown" => "s.unknownunknownunknown12", _ => null };
        if (Resolve(vaultHeader) is { } vaultToken)
        {
            request.Headers.Add("X-Vault-Token", vaultToken);
        }

        if (Resolve(bearer) is { } bearerToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        var reply = await client.SendAsync(request);

        Assert.Equal(status, reply.Status);
    }
}
