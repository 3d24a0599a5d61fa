using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OpenBao.Emulator.Tests;

/// <summary>Role-level token_max_ttl, token_period, token_explicit_max_ttl and token_type, at login, renewal and lookup.</summary>
public sealed partial class TokenSettingsTests : IAsyncLifetime
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private readonly ManualTimeProvider _clock = new();
    private OpenBaoEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await StartAsync(_clock);

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task Login_RoleMaxTtlBelowMountDefault_CapsTtlWithWarning()
    {
        AddRole("capped", new KubernetesRole(["app"], ["shop"], [], TimeSpan.Zero, TokenMaxTtl: Hour, Audience: "openbao"));
        using var client = new ApiClient(_emulator);

        var reply = await client.LoginAsync("capped", Seed.AppJwt(_emulator));

        Assert.Equal(3600, Auth(reply).GetProperty("lease_duration").GetInt32());
        Assert.Equal(["TTL of \"768h\" exceeded the effective max_ttl of \"1h\"; TTL value is capped accordingly"], reply.Warnings);
    }

    [Fact]
    public async Task RenewSelf_PastRoleMaxTtl_IsCappedFromLoginWithWarning()
    {
        AddRole("capped", new KubernetesRole(["app"], ["shop"], [], Hour, TokenMaxTtl: 2 * Hour, Audience: "openbao"));
        using var client = await LoginAsync("capped");
        _clock.Advance(TimeSpan.FromMinutes(50));

        var reply = await client.PostAsync("/v1/auth/token/renew-self", new { increment = "2h" });

        Assert.Equal(200, reply.Status);
        Assert.Equal(4200, Auth(reply).GetProperty("lease_duration").GetInt32());
        Assert.True(Auth(reply).GetProperty("renewable").GetBoolean());
        Assert.Equal(["TTL of \"2h\" exceeded the effective max_ttl of \"1h10m\"; TTL value is capped accordingly"], reply.Warnings);
    }

    [Fact]
    public async Task RenewSelf_WithoutIncrement_GrantsRoleTtl()
    {
        AddRole("capped", new KubernetesRole(["app"], ["shop"], [], Hour, TokenMaxTtl: 2 * Hour, Audience: "openbao"));
        using var client = await LoginAsync("capped");
        _clock.Advance(TimeSpan.FromMinutes(10));

        var reply = await client.PostAsync("/v1/auth/token/renew-self");

        Assert.Equal(3600, Auth(reply).GetProperty("lease_duration").GetInt32());
        Assert.Empty(reply.Warnings);
    }

    [Fact]
    public async Task Token_AtRoleMaxTtl_IsPermissionDeniedWhateverTheRenewals()
    {
        AddRole("capped", new KubernetesRole(["app"], ["shop"], [], Hour, TokenMaxTtl: 2 * Hour, Audience: "openbao"));
        using var client = await LoginAsync("capped");
        _clock.Advance(TimeSpan.FromMinutes(50));
        await client.PostAsync("/v1/auth/token/renew-self", new { increment = "10h" });
        _clock.Advance(TimeSpan.FromMinutes(69));
        Assert.Equal(200, (await client.GetAsync("/v1/auth/token/lookup-self")).Status);

        _clock.Advance(TimeSpan.FromMinutes(1));
        var lookup = await client.GetAsync("/v1/auth/token/lookup-self");
        var renew = await client.PostAsync("/v1/auth/token/renew-self");

        Assert.Equal((403, "{\"errors\":[\"permission denied\"]}\n"), (lookup.Status, lookup.Body));
        Assert.Equal(403, renew.Status);
    }

    [Fact]
    public async Task RenewSelf_InTheLastSecondBeforeMaxTtl_Is500PastTheMaxTtl()
    {
        // OpenBao truncates "now" to the second, so a token issued half-way through a second still
        // lives for a fraction of a second after its max TTL, and renewing then fails.
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(500));
        await using var emulator = await StartAsync(clock);
        emulator.AddKubernetesRole("kubernetes", "capped", new KubernetesRole(["app"], ["shop"], [], Hour, TokenMaxTtl: Hour, Audience: "openbao"));
        using var client = new ApiClient(emulator);
        await client.LoginAsync("capped", Seed.AppJwt(emulator));
        clock.Advance(Hour - TimeSpan.FromMilliseconds(300));

        var reply = await client.PostAsync("/v1/auth/token/renew-self");

        Assert.Equal(500, reply.Status);
        Assert.Equal(["1 error occurred:\n\t* past the max TTL, cannot renew\n\n"], reply.Errors);
    }

    [Fact]
    public async Task RenewSelf_RoleReplacedAfterLogin_UsesTheCurrentRole()
    {
        AddRole("changing", new KubernetesRole(["app"], ["shop"], [], Hour, Audience: "openbao"));
        using var client = await LoginAsync("changing");
        AddRole("changing", new KubernetesRole(["app"], ["shop"], [], TimeSpan.FromMinutes(20), TokenMaxTtl: TimeSpan.FromMinutes(30), Audience: "openbao"));
        _clock.Advance(TimeSpan.FromMinutes(15));

        var reply = await client.PostAsync("/v1/auth/token/renew-self");

        Assert.Equal(900, Auth(reply).GetProperty("lease_duration").GetInt32());
        Assert.Equal(["TTL of \"20m\" exceeded the effective max_ttl of \"15m\"; TTL value is capped accordingly"], reply.Warnings);
    }

    [Fact]
    public async Task RenewSelf_PeriodicToken_GrantsPeriodWhateverTheIncrementAndNeverReachesMountMax()
    {
        AddRole("periodic", new KubernetesRole(["app"], ["shop"], [], TimeSpan.Zero, TokenPeriod: TimeSpan.FromHours(24), Audience: "openbao"));
        using var client = new ApiClient(_emulator);
        var login = await client.LoginAsync("periodic", Seed.AppJwt(_emulator));
        Assert.Equal(86400, Auth(login).GetProperty("lease_duration").GetInt32());

        ApiReply? last = null;
        for (var day = 0; day < 40; day++)
        {
            _clock.Advance(TimeSpan.FromHours(23));
            last = await client.PostAsync("/v1/auth/token/renew-self", new { increment = "5m" });
            Assert.Equal(200, last.Status);
        }

        Assert.Equal(86400, Auth(last!).GetProperty("lease_duration").GetInt32());
        Assert.Empty(last!.Warnings);
        Assert.Equal(40, _emulator.GetTokenStatistics().TokenRenewals);
    }

    [Fact]
    public async Task PeriodicToken_RoleMaxTtlBelowPeriod_CapsEachGrantButNotTheTokensLife()
    {
        // In OpenBao token_max_ttl caps the period itself; only token_explicit_max_ttl ends a periodic token.
        AddRole("periodic", new KubernetesRole(["app"], ["shop"], [], TimeSpan.Zero, TokenMaxTtl: Hour, TokenPeriod: 2 * Hour, Audience: "openbao"));
        using var client = new ApiClient(_emulator);
        var login = await client.LoginAsync("periodic", Seed.AppJwt(_emulator));
        const string warning = "period of \"2h\" exceeded the effective max_ttl of \"1h\"; period value is capped accordingly";
        Assert.Equal(3600, Auth(login).GetProperty("lease_duration").GetInt32());
        Assert.Equal([warning], login.Warnings);

        for (var round = 0; round < 3; round++)
        {
            _clock.Advance(TimeSpan.FromMinutes(50));
            var renew = await client.PostAsync("/v1/auth/token/renew-self");
            Assert.Equal(3600, Auth(renew).GetProperty("lease_duration").GetInt32());
            Assert.Equal([warning], renew.Warnings);
        }

        Assert.Equal(200, (await client.GetAsync("/v1/auth/token/lookup-self")).Status);
    }

    [Fact]
    public async Task PeriodicToken_WithExplicitMaxTtl_EndsThere()
    {
        AddRole("bounded", new KubernetesRole(["app"], ["shop"], [], TimeSpan.Zero, TokenPeriod: Hour, TokenExplicitMaxTtl: TimeSpan.FromMinutes(90), Audience: "openbao"));
        using var client = await LoginAsync("bounded");
        _clock.Advance(TimeSpan.FromMinutes(50));

        var renew = await client.PostAsync("/v1/auth/token/renew-self");
        _clock.Advance(TimeSpan.FromMinutes(40));
        var after = await client.GetAsync("/v1/auth/token/lookup-self");

        Assert.Equal(2400, Auth(renew).GetProperty("lease_duration").GetInt32());
        Assert.Equal(["TTL of \"1h\" exceeded the effective max_ttl of \"40m\"; TTL value is capped accordingly"], renew.Warnings);
        Assert.Equal(403, after.Status);
    }

    [Fact]
    public async Task LookupSelf_PeriodicToken_ReportsPeriodAndExplicitMaxTtl()
    {
        AddRole("bounded", new KubernetesRole(["app"], ["shop"], [], TimeSpan.Zero, TokenPeriod: Hour, TokenExplicitMaxTtl: 3 * Hour, Audience: "openbao"));
        using var client = await LoginAsync("bounded");

        var data = (await client.GetAsync("/v1/auth/token/lookup-self")).Data;

        Assert.Equal(3600, data.GetProperty("period").GetInt32());
        Assert.Equal(10800, data.GetProperty("explicit_max_ttl").GetInt32());
        Assert.Equal(3600, data.GetProperty("creation_ttl").GetInt32());
        Assert.True(data.GetProperty("renewable").GetBoolean());
        Assert.Equal("service", data.GetProperty("type").GetString());
    }

    [Fact]
    public async Task LookupSelf_RoleMaxTtl_IsNotExplicitMaxTtlAndNoPeriodKey()
    {
        AddRole("capped", new KubernetesRole(["app"], ["shop"], [], Hour, TokenMaxTtl: 2 * Hour, Audience: "openbao"));
        using var client = await LoginAsync("capped");

        var data = (await client.GetAsync("/v1/auth/token/lookup-self")).Data;

        Assert.False(data.TryGetProperty("period", out _));
        Assert.Equal(0, data.GetProperty("explicit_max_ttl").GetInt32());
    }

    [Fact]
    public async Task Login_BatchRole_AnswersBatchToken()
    {
        AddRole("batch", new KubernetesRole(["app"], ["shop"], ["reader"], Hour, TokenType: "batch", Audience: "openbao"));
        using var client = new ApiClient(_emulator);

        var reply = await client.LoginAsync("batch", Seed.AppJwt(_emulator));

        var auth = Auth(reply);
        Assert.Matches(BatchTokenPattern(), auth.GetProperty("client_token").GetString()!);
        Assert.Equal("", auth.GetProperty("accessor").GetString());
        Assert.Equal("batch", auth.GetProperty("token_type").GetString());
        Assert.False(auth.GetProperty("renewable").GetBoolean());
        Assert.Equal(3600, auth.GetProperty("lease_duration").GetInt32());
        Assert.True(auth.GetProperty("orphan").GetBoolean());
        Assert.Equal(["default", "reader"], auth.GetProperty("policies").EnumerateArray().Select(policy => policy.GetString()));
    }

    [Fact]
    public async Task Login_BatchRoleInNamespace_TokenEndsWithNamespaceId()
    {
        _emulator.AddNamespace("team-a");
        _emulator.EnableKubernetesAuth(ns: "team-a");
        _emulator.AddKubernetesRole("kubernetes", "batch", new KubernetesRole(["app"], ["shop"], [], Hour, TokenType: "batch", Audience: "openbao"), "team-a");
        using var client = new ApiClient(_emulator) { Namespace = "team-a" };

        var reply = await client.LoginAsync("batch", Seed.AppJwt(_emulator));

        Assert.Matches(NamespacedBatchTokenPattern(), Auth(reply).GetProperty("client_token").GetString()!);
        Assert.Equal(200, (await client.GetAsync("/v1/auth/token/lookup-self")).Status);
    }

    [Fact]
    public async Task RenewSelf_BatchToken_Is400()
    {
        AddRole("batch", new KubernetesRole(["app"], ["shop"], [], Hour, TokenType: "batch", Audience: "openbao"));
        using var client = await LoginAsync("batch");

        var reply = await client.PostAsync("/v1/auth/token/renew-self", new { increment = "1h" });

        Assert.Equal((400, "{\"errors\":[\"batch tokens cannot be renewed\"]}\n"), (reply.Status, reply.Body));
        Assert.Equal(0, _emulator.GetTokenStatistics().TokenRenewals);
    }

    [Fact]
    public async Task RevokeSelf_BatchToken_Is400AndTheTokenStillWorks()
    {
        AddRole("batch", new KubernetesRole(["app"], ["shop"], [], Hour, TokenType: "batch", Audience: "openbao"));
        using var client = await LoginAsync("batch");

        var reply = await client.PostAsync("/v1/auth/token/revoke-self");

        Assert.Equal((400, "{\"errors\":[\"batch tokens cannot be revoked\"]}\n"), (reply.Status, reply.Body));
        Assert.Equal(200, (await client.GetAsync("/v1/auth/token/lookup-self")).Status);
        Assert.Equal(0, _emulator.GetTokenStatistics().TokensRevoked);
    }

    [Fact]
    public async Task LookupSelf_BatchToken_DescribesIt()
    {
        AddRole("batch", new KubernetesRole(["app"], ["shop"], [], Hour, TokenType: "batch", Audience: "openbao"));
        using var client = await LoginAsync("batch");
        _clock.Advance(TimeSpan.FromMinutes(10));

        var data = (await client.GetAsync("/v1/auth/token/lookup-self")).Data;

        Assert.Equal(client.Token, data.GetProperty("id").GetString());
        Assert.Equal("", data.GetProperty("accessor").GetString());
        Assert.Equal("batch", data.GetProperty("type").GetString());
        Assert.False(data.GetProperty("renewable").GetBoolean());
        Assert.Equal(3000, data.GetProperty("ttl").GetInt32());
        Assert.Equal(3600, data.GetProperty("creation_ttl").GetInt32());
        Assert.Equal(0, data.GetProperty("explicit_max_ttl").GetInt32());
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromMinutes(50), ParseTime(data.GetProperty("expire_time")));
        Assert.Equal(_clock.GetUtcNow() - TimeSpan.FromMinutes(10), ParseTime(data.GetProperty("issue_time")));
    }

    [Fact]
    public async Task BatchToken_PastItsTtl_IsPermissionDeniedOnlyAfterTheExpirySecond()
    {
        AddRole("batch", new KubernetesRole(["app"], ["shop"], [], Hour, TokenType: "batch", Audience: "openbao"));
        using var client = await LoginAsync("batch");

        // A batch token is refused once now is after its expiry, not at it.
        _clock.Advance(Hour);
        var atExpiry = await client.GetAsync("/v1/auth/token/lookup-self");
        _clock.Advance(TimeSpan.FromSeconds(1));
        var after = await client.GetAsync("/v1/auth/token/lookup-self");

        Assert.Equal(200, atExpiry.Status);
        Assert.Equal((403, "{\"errors\":[\"permission denied\"]}\n"), (after.Status, after.Body));
    }

    [Fact]
    public async Task Login_JwtRoleWithTokenSettings_ReflectsThem()
    {
        _emulator.EnableJwtAuth();
        _emulator.AddJwtRole("jwt", "ci", new JwtRole(["openbao"], "sub", [], TimeSpan.Zero, TokenMaxTtl: 2 * Hour));
        _emulator.AddJwtRole("jwt", "ci-batch", new JwtRole(["openbao"], "sub", [], Hour, TokenType: "batch"));
        using var client = new ApiClient(_emulator);

        var capped = await client.PostAsync("/v1/auth/jwt/login", new { role = "ci", jwt = Seed.AppJwt(_emulator) });
        var batch = await client.PostAsync("/v1/auth/jwt/login", new { role = "ci-batch", jwt = Seed.AppJwt(_emulator) });

        Assert.Equal(7200, Auth(capped).GetProperty("lease_duration").GetInt32());
        Assert.Equal(["TTL of \"768h\" exceeded the effective max_ttl of \"2h\"; TTL value is capped accordingly"], capped.Warnings);
        Assert.Equal("batch", Auth(batch).GetProperty("token_type").GetString());
        Assert.False(Auth(batch).GetProperty("renewable").GetBoolean());
    }

    [Fact]
    public async Task RenewSelf_JwtToken_IsCappedByTheRoleMaxTtl()
    {
        _emulator.EnableJwtAuth();
        _emulator.AddJwtRole("jwt", "ci", new JwtRole(["openbao"], "sub", [], Hour, TokenMaxTtl: TimeSpan.FromMinutes(90)));
        using var client = new ApiClient(_emulator);
        await client.LoginAsync("ci", Seed.AppJwt(_emulator), mount: "jwt");
        _clock.Advance(TimeSpan.FromMinutes(45));

        var reply = await client.PostAsync("/v1/auth/token/renew-self");

        Assert.Equal(2700, Auth(reply).GetProperty("lease_duration").GetInt32());
        Assert.Equal(["TTL of \"1h\" exceeded the effective max_ttl of \"45m\"; TTL value is capped accordingly"], reply.Warnings);
    }

    public static TheoryData<KubernetesRole, string> InvalidRoles => new()
    {
        { new KubernetesRole(["app"], ["shop"], [], Hour, TokenPeriod: Hour, TokenType: "batch", Audience: "openbao"), "'token_type' cannot be 'batch' or 'default_batch' when set to generate periodic tokens" },
        { new KubernetesRole(["app"], ["shop"], [], 2 * Hour, TokenMaxTtl: Hour, Audience: "openbao"), "'token_ttl' cannot be greater than 'token_max_ttl'" },
        { new KubernetesRole(["app"], ["shop"], [], Hour, TokenType: "short", Audience: "openbao"), "invalid 'token_type' value \"short\"" },
        { new KubernetesRole(["app"], ["shop"], [], Hour, TokenMaxTtl: -Hour, Audience: "openbao"), "'token_max_ttl' cannot be negative" },
        { new KubernetesRole(["app"], ["shop"], [], Hour, TokenPeriod: TimeSpan.FromHours(800), Audience: "openbao"), "token period of '\"800h0m0s\"' is greater than the backend's maximum lease TTL of '\"768h0m0s\"'" },
    };

    [Theory]
    [MemberData(nameof(InvalidRoles))]
    public void AddKubernetesRole_InvalidTokenSettings_ThrowsWithOpenBaoMessage(KubernetesRole role, string message)
    {
        var exception = Assert.Throws<ArgumentException>(() => AddRole("bad", role));

        Assert.StartsWith(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddJwtRole_PeriodAboveMountMax_ThrowsWithOpenBaoMessage()
    {
        _emulator.EnableJwtAuth();

        var exception = Assert.Throws<ArgumentException>(() =>
            _emulator.AddJwtRole("jwt", "bad", new JwtRole(["openbao"], "sub", [], Hour, TokenPeriod: TimeSpan.FromHours(800))));

        Assert.StartsWith("'period' of '\"800h0m0s\"' is greater than the backend's maximum lease TTL of '\"768h0m0s\"'", exception.Message, StringComparison.Ordinal);
    }

    private static async Task<OpenBaoEmulator> StartAsync(ManualTimeProvider clock) =>
        await Seed.StartAsync(new EmulatorOptions { TimeProvider = clock }, "reader");

    private static JsonElement Auth(ApiReply reply) => reply.Json.GetProperty("auth");

    private static DateTimeOffset ParseTime(JsonElement value) =>
        DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture);

    private void AddRole(string name, KubernetesRole role) => _emulator.AddKubernetesRole("kubernetes", name, role);

    private async Task<ApiClient> LoginAsync(string role)
    {
        var client = new ApiClient(_emulator);
        await client.LoginAsync(role, Seed.AppJwt(_emulator));
        return client;
    }

    [GeneratedRegex("^b\\.[A-Za-z0-9_-]{100,}$")]
    private static partial Regex BatchTokenPattern();

    [GeneratedRegex("^b\\.[A-Za-z0-9_-]{100,}\\.[0-9A-Za-z]{6}$")]
    private static partial Regex NamespacedBatchTokenPattern();
}
