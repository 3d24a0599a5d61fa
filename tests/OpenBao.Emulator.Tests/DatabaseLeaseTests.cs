using System.Text.RegularExpressions;

namespace OpenBao.Emulator.Tests;

public sealed partial class DatabaseLeaseTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new();
    private OpenBaoEmulator _emulator = null!;
    private ApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _emulator = await Seed.StartAsync(new EmulatorOptions { TimeProvider = _clock }, "db");
        _emulator.EnableDatabase();
        _emulator.AddDatabaseRole("app", TimeSpan.FromHours(1), TimeSpan.FromHours(2));
        _emulator.AddPolicy("db", new PolicyRule("database/creds/app", "read"));

        // A token that outlives the leases, so they can expire on their own.
        _emulator.AddKubernetesRole("kubernetes", "long", new KubernetesRole(["app"], ["shop"], ["db"], TimeSpan.FromDays(1), Audience: "openbao"));
        _client = new ApiClient(_emulator);
        await _client.LoginAsync("long", Seed.AppJwt(_emulator));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task Creds_EveryRead_NewUserAndRenewableLease()
    {
        var first = await _client.GetAsync("/v1/database/creds/app");
        var second = await _client.GetAsync("/v1/database/creds/app");

        Assert.Equal(200, first.Status);
        Assert.Matches(LeaseIdPattern(), first.Json.GetProperty("lease_id").GetString()!);
        Assert.True(first.Json.GetProperty("renewable").GetBoolean());
        Assert.Equal(3600, first.Json.GetProperty("lease_duration").GetInt32());
        Assert.StartsWith("v-kubernet-app-", first.Data.GetProperty("username").GetString(), StringComparison.Ordinal);
        Assert.Equal(20, first.Data.GetProperty("password").GetString()!.Length);
        Assert.NotEqual(first.Data.GetProperty("username").GetString(), second.Data.GetProperty("username").GetString());
        Assert.NotEqual(first.Json.GetProperty("lease_id").GetString(), second.Json.GetProperty("lease_id").GetString());
    }

    [Fact]
    public async Task Creds_UnknownRole_Is400()
    {
        using var root = new ApiClient(_emulator) { Token = _emulator.RootToken };

        var reply = await root.GetAsync("/v1/database/creds/nope");

        Assert.Equal(400, reply.Status);
        Assert.Equal(["unknown role: nope"], reply.Errors);
    }

    [Fact]
    public async Task Renew_WithinMax_GrantsIncrement()
    {
        var leaseId = await NewLeaseAsync();
        _clock.Advance(TimeSpan.FromMinutes(30));

        var reply = await _client.PutAsync("/v1/sys/leases/renew", new { lease_id = leaseId, increment = 1800 });

        Assert.Equal(200, reply.Status);
        Assert.Equal(leaseId, reply.Json.GetProperty("lease_id").GetString());
        Assert.True(reply.Json.GetProperty("renewable").GetBoolean());
        Assert.Equal(1800, reply.Json.GetProperty("lease_duration").GetInt32());
        Assert.Equal("null", reply.Data.GetRawText());
        Assert.Empty(reply.Warnings);
    }

    [Fact]
    public async Task Renew_PastMaxTtl_IsCappedWithOpenBaoWarning()
    {
        var leaseId = await NewLeaseAsync();
        _clock.Advance(TimeSpan.FromMinutes(50));

        var reply = await _client.PutAsync("/v1/sys/leases/renew", new { lease_id = leaseId, increment = "2h" });

        Assert.Equal(4200, reply.Json.GetProperty("lease_duration").GetInt32());
        Assert.Equal(["TTL of \"2h\" exceeded the effective max_ttl of \"1h10m\"; TTL value is capped accordingly"], reply.Warnings);
    }

    [Fact]
    public async Task Renew_WithoutIncrement_UsesRoleDefault()
    {
        var leaseId = await NewLeaseAsync();
        _clock.Advance(TimeSpan.FromMinutes(10));

        var reply = await _client.PutAsync("/v1/sys/leases/renew", new { lease_id = leaseId });

        Assert.Equal(3600, reply.Json.GetProperty("lease_duration").GetInt32());
    }

    [Fact]
    public async Task Renew_RoleReplacedAfterIssue_UsesTheCurrentRoleTtls()
    {
        var leaseId = await NewLeaseAsync();
        _emulator.AddDatabaseRole("app", TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(30));
        _clock.Advance(TimeSpan.FromMinutes(15));

        var reply = await _client.PutAsync("/v1/sys/leases/renew", new { lease_id = leaseId });

        Assert.Equal(900, reply.Json.GetProperty("lease_duration").GetInt32());
        Assert.Equal(["TTL of \"20m\" exceeded the effective max_ttl of \"15m\"; TTL value is capped accordingly"], reply.Warnings);
    }

    [Fact]
    public async Task Renew_RepeatedlyPastMaxTtl_KeepsCappingToWhatIsLeft()
    {
        var leaseId = await NewLeaseAsync();
        _clock.Advance(TimeSpan.FromMinutes(50));
        var first = await _client.PutAsync("/v1/sys/leases/renew", new { lease_id = leaseId, increment = 3600 });
        _clock.Advance(TimeSpan.FromMinutes(59));
        var second = await _client.PutAsync("/v1/sys/leases/renew", new { lease_id = leaseId, increment = 3600 });
        _clock.Advance(TimeSpan.FromMinutes(11));
        var third = await _client.PutAsync("/v1/sys/leases/renew", new { lease_id = leaseId, increment = 3600 });

        Assert.Equal(3600, first.Json.GetProperty("lease_duration").GetInt32());
        Assert.Empty(first.Warnings);
        Assert.Equal(660, second.Json.GetProperty("lease_duration").GetInt32());
        Assert.Equal(["TTL of \"1h\" exceeded the effective max_ttl of \"11m\"; TTL value is capped accordingly"], second.Warnings);
        Assert.Equal(["lease expired"], third.Errors);
        Assert.Equal(2, _emulator.GetLeaseStatistics("database/creds/app").Renewed);
    }

    [Fact]
    public async Task Renew_InTheLastSecondBeforeMaxTtl_Is400FromTheEngine()
    {
        // A lease issued half-way through a second outlives its truncated max TTL by a fraction of a second.
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(500));
        await using var emulator = await OpenBaoEmulator.StartAsync(new EmulatorOptions { TimeProvider = clock });
        emulator.EnableDatabase();
        emulator.AddDatabaseRole("app", TimeSpan.FromHours(1), TimeSpan.FromHours(1));
        using var root = new ApiClient(emulator) { Token = emulator.RootToken };
        var leaseId = (await root.GetAsync("/v1/database/creds/app")).Json.GetProperty("lease_id").GetString();
        clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromMilliseconds(300));

        var reply = await root.PutAsync("/v1/sys/leases/renew", new { lease_id = leaseId });

        Assert.Equal(400, reply.Status);
        Assert.Equal(["failed to renew entry: resp: (*logical.Response)(nil) err: past the max TTL, cannot renew"], reply.Errors);
    }

    [Theory]
    [InlineData("unknown", "lease not found")]
    [InlineData("expired", "lease expired")]
    [InlineData("revoked", "lease not found")]
    [InlineData("token-revoked", "lease not found")]
    [InlineData("empty", "lease_id must be specified")]
    public async Task Renew_Failure_Is400(string scenario, string message)
    {
        var leaseId = await NewLeaseAsync();
        using var root = new ApiClient(_emulator) { Token = _emulator.RootToken };
        switch (scenario)
        {
            case "unknown":
                leaseId = "database/creds/app/nope";
                break;
            case "expired":
                _clock.Advance(TimeSpan.FromHours(1));
                break;
            case "revoked":
                await root.PutAsync("/v1/sys/leases/revoke", new { lease_id = leaseId });
                break;
            case "token-revoked":
                await _client.PostAsync("/v1/auth/token/revoke-self");
                break;
            default:
                leaseId = "";
                break;
        }

        var reply = await root.PutAsync("/v1/sys/leases/renew", new { lease_id = leaseId });

        Assert.Equal(400, reply.Status);
        Assert.Equal([message], reply.Errors);
    }

    [Fact]
    public async Task Revoke_DefaultPolicyForbids_RootRevokes_UnknownIs204Too()
    {
        var leaseId = await NewLeaseAsync();
        using var root = new ApiClient(_emulator) { Token = _emulator.RootToken };

        var denied = await _client.PutAsync("/v1/sys/leases/revoke", new { lease_id = leaseId });
        var revoked = await root.PutAsync("/v1/sys/leases/revoke", new { lease_id = leaseId });
        var unknown = await root.PutAsync("/v1/sys/leases/revoke", new { lease_id = "database/creds/app/unknown" });

        Assert.Equal(403, denied.Status);
        Assert.Equal(204, revoked.Status);
        Assert.Equal(204, unknown.Status);
        Assert.DoesNotContain(leaseId, _emulator.ActiveLeaseIds);
    }

    [Fact]
    public async Task Lookup_DescribesTheLease()
    {
        var leaseId = await NewLeaseAsync();
        _clock.Advance(TimeSpan.FromMinutes(15));

        var reply = await _client.PutAsync("/v1/sys/leases/lookup", new { lease_id = leaseId });

        Assert.Equal(200, reply.Status);
        var data = reply.Data;
        Assert.Equal(["expire_time", "id", "issue_time", "last_renewal", "path", "renewable", "ttl"], data.EnumerateObject().Select(property => property.Name));
        Assert.Equal(leaseId, data.GetProperty("id").GetString());
        Assert.Equal("database/creds/app", data.GetProperty("path").GetString());
        Assert.Equal(2700, data.GetProperty("ttl").GetInt32());
        Assert.True(data.GetProperty("renewable").GetBoolean());
        Assert.Equal("null", data.GetProperty("last_renewal").GetRawText());
    }

    [Fact]
    public async Task Lookup_UnknownLease_Is400InvalidLease()
    {
        var reply = await _client.PutAsync("/v1/sys/leases/lookup", new { lease_id = "database/creds/app/nope" });

        Assert.Equal(400, reply.Status);
        Assert.Equal(["invalid lease"], reply.Errors);
    }

    [Fact]
    public async Task ActiveLeaseIds_TracksIssueAndExpiry()
    {
        var leaseId = await NewLeaseAsync();
        Assert.Contains(leaseId, _emulator.ActiveLeaseIds);

        _clock.Advance(TimeSpan.FromHours(1));

        Assert.DoesNotContain(leaseId, _emulator.ActiveLeaseIds);
    }

    private async Task<string> NewLeaseAsync() =>
        (await _client.GetAsync("/v1/database/creds/app")).Json.GetProperty("lease_id").GetString()!;

    [GeneratedRegex("^database/creds/app/[0-9A-Za-z]{24}$")]
    private static partial Regex LeaseIdPattern();
}
