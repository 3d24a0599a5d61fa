namespace OpenBao.Emulator.Tests;

/// <summary>How a secret lease ends (with its token, by revocation, by expiry), leases of batch tokens, and the counters.</summary>
public sealed class LeaseLifecycleTests : IAsyncLifetime
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private readonly ManualTimeProvider _clock = new();
    private OpenBaoEmulator _emulator = null!;
    private ApiClient _root = null!;

    public async Task InitializeAsync()
    {
        _emulator = await OpenBaoEmulator.StartAsync(new EmulatorOptions { TimeProvider = _clock });
        _emulator.EnableKubernetesAuth();
        _emulator.EnableDatabase();
        _emulator.AddDatabaseRole("app", Hour, 2 * Hour);
        _emulator.AddDatabaseRole("report", Hour, 2 * Hour);
        _emulator.AddPolicy("db", new PolicyRule("database/creds/*", "read"), new PolicyRule("pki/issue/*", "update"));
        _emulator.AddKubernetesRole("kubernetes", "service", new KubernetesRole(["app"], ["shop"], ["db"], Hour, Audience: "openbao"));
        _emulator.AddKubernetesRole("kubernetes", "long", new KubernetesRole(["app"], ["shop"], ["db"], TimeSpan.FromDays(1), Audience: "openbao"));
        _emulator.AddKubernetesRole("kubernetes", "batch", new KubernetesRole(["app"], ["shop"], ["db"], TimeSpan.FromMinutes(30), TokenType: "batch", Audience: "openbao"));
        _root = new ApiClient(_emulator) { Token = _emulator.RootToken };
    }

    public async Task DisposeAsync()
    {
        _root.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task Lease_TokenExpires_RenewNotFoundLookupInvalidAndNotRevoked()
    {
        using var client = await LoginAsync("service");
        var leaseId = await NewLeaseAsync(client);
        _clock.Advance(TimeSpan.FromMinutes(30));
        await _root.PutAsync("/v1/sys/leases/renew", new { lease_id = leaseId, increment = "2h" });

        _clock.Advance(TimeSpan.FromMinutes(30));
        var renew = await _root.PutAsync("/v1/sys/leases/renew", new { lease_id = leaseId });
        var lookup = await _root.PutAsync("/v1/sys/leases/lookup", new { lease_id = leaseId });

        Assert.Equal((400, "{\"errors\":[\"lease not found\"]}\n"), (renew.Status, renew.Body));
        Assert.Equal((400, "{\"errors\":[\"invalid lease\"]}\n"), (lookup.Status, lookup.Body));
        Assert.Equal(new LeaseStatistics(Issued: 1, Live: 0, Renewed: 1, Revoked: 0), _emulator.GetLeaseStatistics());
        Assert.Empty(_emulator.ActiveLeaseIds);
    }

    [Fact]
    public async Task Lease_TokenRevokesItself_LeaseIsGoneAndCountedRevoked()
    {
        using var client = await LoginAsync("service");
        var leaseId = await NewLeaseAsync(client);
        var revokedFirst = await NewLeaseAsync(client);
        await _root.PutAsync("/v1/sys/leases/revoke", new { lease_id = revokedFirst });

        var revoke = await client.PostAsync("/v1/auth/token/revoke-self");
        var renew = await _root.PutAsync("/v1/sys/leases/renew", new { lease_id = leaseId });
        var lookup = await _root.PutAsync("/v1/sys/leases/lookup", new { lease_id = leaseId });

        Assert.Equal(204, revoke.Status);
        Assert.Equal(["lease not found"], renew.Errors);
        Assert.Equal(["invalid lease"], lookup.Errors);
        Assert.Equal(new LeaseStatistics(Issued: 2, Live: 0, Renewed: 0, Revoked: 2), _emulator.GetLeaseStatistics());
        Assert.Equal(new TokenStatistics(Logins: 1, TokenRenewals: 0, TokensRevoked: 1), _emulator.GetTokenStatistics());
    }

    [Fact]
    public async Task Lease_ExpiredBeforeItsTokenIsRevoked_IsNotCountedRevoked()
    {
        _emulator.AddDatabaseRole("short", TimeSpan.FromMinutes(10), Hour);
        using var client = await LoginAsync("service");
        var shortLease = (await client.GetAsync("/v1/database/creds/short")).Json.GetProperty("lease_id").GetString()!;
        await NewLeaseAsync(client);
        _clock.Advance(TimeSpan.FromMinutes(10));

        await client.PostAsync("/v1/auth/token/revoke-self");

        Assert.Equal(new LeaseStatistics(Issued: 2, Live: 0, Renewed: 0, Revoked: 1), _emulator.GetLeaseStatistics());
        Assert.DoesNotContain(shortLease, _emulator.ActiveLeaseIds);
    }

    [Fact]
    public async Task Revoke_ExpiredLease_Is204ButNotCountedRevoked()
    {
        using var client = await LoginAsync("long");
        var leaseId = await NewLeaseAsync(client);
        _clock.Advance(Hour);

        var revoke = await _root.PutAsync("/v1/sys/leases/revoke", new { lease_id = leaseId });
        var renew = await _root.PutAsync("/v1/sys/leases/renew", new { lease_id = leaseId });

        Assert.Equal(204, revoke.Status);
        Assert.Equal(["lease not found"], renew.Errors);
        Assert.Equal(0, _emulator.GetLeaseStatistics().Revoked);
    }

    [Fact]
    public async Task RevokeAllTokens_LiveLeasesOfServiceTokens_AreCountedRevoked()
    {
        using var client = await LoginAsync("service");
        await NewLeaseAsync(client);
        await NewLeaseAsync(client);

        _emulator.RevokeAllTokens();

        Assert.Equal(new LeaseStatistics(Issued: 2, Live: 0, Renewed: 0, Revoked: 2), _emulator.GetLeaseStatistics());
        Assert.Equal(0, _emulator.GetTokenStatistics().TokensRevoked);
    }

    [Fact]
    public async Task RevokeAllTokens_AfterTheTokenExpired_DoesNotCountItsLeasesRevoked()
    {
        using var client = await LoginAsync("service");
        await NewLeaseAsync(client);
        _clock.Advance(Hour);

        _emulator.RevokeAllTokens();

        Assert.Equal(new LeaseStatistics(Issued: 1, Live: 0, Renewed: 0, Revoked: 0), _emulator.GetLeaseStatistics());
    }

    [Fact]
    public async Task Creds_UnderBatchToken_LeaseIsCappedAtTheTokensExpiry()
    {
        using var client = await LoginAsync("batch");
        _clock.Advance(TimeSpan.FromMinutes(5));

        var reply = await client.GetAsync("/v1/database/creds/app");

        Assert.Equal(200, reply.Status);
        Assert.Equal(1500, reply.Json.GetProperty("lease_duration").GetInt32());
        Assert.True(reply.Json.GetProperty("renewable").GetBoolean());
        Assert.Empty(reply.Warnings);
    }

    [Fact]
    public async Task Lookup_LeaseOfBatchToken_IsNotRenewable()
    {
        using var client = await LoginAsync("batch");
        var leaseId = await NewLeaseAsync(client);

        var data = (await client.PutAsync("/v1/sys/leases/lookup", new { lease_id = leaseId })).Data;

        Assert.False(data.GetProperty("renewable").GetBoolean());
        Assert.Equal(1800, data.GetProperty("ttl").GetInt32());
    }

    [Fact]
    public async Task Renew_LeaseOfBatchToken_SucceedsButNeverPastTheToken()
    {
        using var client = await LoginAsync("batch");
        var leaseId = await NewLeaseAsync(client);
        _clock.Advance(TimeSpan.FromMinutes(10));

        var reply = await client.PutAsync("/v1/sys/leases/renew", new { lease_id = leaseId, increment = "1h" });

        Assert.Equal(200, reply.Status);
        Assert.Equal(1200, reply.Json.GetProperty("lease_duration").GetInt32());
        Assert.True(reply.Json.GetProperty("renewable").GetBoolean());
        Assert.Empty(reply.Warnings);
        Assert.Equal(1, _emulator.GetLeaseStatistics().Renewed);
    }

    [Fact]
    public async Task Lease_BatchTokenExpires_LeaseEndsWithItAndIsNotRevoked()
    {
        using var client = await LoginAsync("batch");
        var leaseId = await NewLeaseAsync(client);
        _clock.Advance(TimeSpan.FromMinutes(30));

        var renew = await _root.PutAsync("/v1/sys/leases/renew", new { lease_id = leaseId });

        Assert.Equal(["lease not found"], renew.Errors);
        Assert.Equal(new LeaseStatistics(Issued: 1, Live: 0, Renewed: 0, Revoked: 0), _emulator.GetLeaseStatistics());
    }

    [Fact]
    public async Task Lease_BatchTokenMadeInvalid_LeaseSurvivesButCannotBeRenewed()
    {
        // OpenBao keeps no index from an orphan batch token to its leases, so nothing revokes them with it.
        using var client = await LoginAsync("batch");
        var leaseId = await NewLeaseAsync(client);

        _emulator.RevokeAllTokens();
        var lookup = await _root.PutAsync("/v1/sys/leases/lookup", new { lease_id = leaseId });
        var renew = await _root.PutAsync("/v1/sys/leases/renew", new { lease_id = leaseId });

        Assert.Equal(200, lookup.Status);
        Assert.Equal((400, "{\"errors\":[\"cannot renew lease, no valid associated token\"]}\n"), (renew.Status, renew.Body));
        Assert.Equal(new LeaseStatistics(Issued: 1, Live: 1, Renewed: 0, Revoked: 0), _emulator.GetLeaseStatistics());
    }

    [Fact]
    public async Task Renew_NonRenewableLeaseOfBatchToken_IsRefusedByTheEngine()
    {
        _emulator.EnablePki();
        _emulator.AddPkiRole("leased", ["example.com"], allowSubdomains: true, generateLease: true);
        using var client = await LoginAsync("batch");
        var issued = await client.PostAsync("/v1/pki/issue/leased", new { common_name = "api.example.com", ttl = "1h" });
        var leaseId = issued.Json.GetProperty("lease_id").GetString()!;

        var reply = await client.PutAsync("/v1/sys/leases/renew", new { lease_id = leaseId });

        Assert.Equal(1800, issued.Json.GetProperty("lease_duration").GetInt32());
        Assert.Equal(["failed to renew entry: resp: (*logical.Response)(nil) err: unsupported operation"], reply.Errors);
    }

    [Fact]
    public async Task Statistics_PathPrefix_CountsOnlyMatchingLeases()
    {
        using var client = await LoginAsync("service");
        var app = await NewLeaseAsync(client);
        await NewLeaseAsync(client);
        await client.GetAsync("/v1/database/creds/report");
        await client.PutAsync("/v1/sys/leases/renew", new { lease_id = app });
        await _root.PutAsync("/v1/sys/leases/revoke", new { lease_id = app });

        Assert.Equal(new LeaseStatistics(Issued: 2, Live: 1, Renewed: 1, Revoked: 1), _emulator.GetLeaseStatistics("database/creds/app"));
        Assert.Equal(new LeaseStatistics(Issued: 3, Live: 2, Renewed: 1, Revoked: 1), _emulator.GetLeaseStatistics("database/creds/"));
        Assert.Equal(new LeaseStatistics(Issued: 0, Live: 0, Renewed: 0, Revoked: 0), _emulator.GetLeaseStatistics("pki/"));
        Assert.Equal(new TokenStatistics(Logins: 1, TokenRenewals: 0, TokensRevoked: 0), _emulator.GetTokenStatistics("auth/kubernetes/"));
        Assert.Equal(new TokenStatistics(Logins: 0, TokenRenewals: 0, TokensRevoked: 0), _emulator.GetTokenStatistics("auth/jwt/"));
    }

    [Fact]
    public async Task Statistics_Namespace_IsPartOfThePath()
    {
        _emulator.AddNamespace("team-a");
        _emulator.EnableKubernetesAuth(ns: "team-a");
        _emulator.EnableDatabase(ns: "team-a");
        _emulator.AddDatabaseRole("app", Hour, 2 * Hour, ns: "team-a");
        _emulator.AddPolicy("db", [new PolicyRule("database/creds/*", "read")], "team-a");
        _emulator.AddKubernetesRole("kubernetes", "service", new KubernetesRole(["app"], ["shop"], ["db"], Hour, Audience: "openbao"), "team-a");
        using var client = new ApiClient(_emulator) { Namespace = "team-a" };
        await client.LoginAsync("service", AppJwt());
        await NewLeaseAsync(client);

        Assert.Equal(1, _emulator.GetLeaseStatistics("team-a/database/creds/").Issued);
        Assert.Equal(0, _emulator.GetLeaseStatistics("database/creds/").Issued);
        Assert.Equal(1, _emulator.GetTokenStatistics("team-a/auth/kubernetes/login").Logins);
        Assert.Equal(0, _emulator.GetTokenStatistics("auth/").Logins);
    }

    [Fact]
    public async Task Statistics_ConcurrentIssueRenewAndLogin_AreExact()
    {
        const int Workers = 24;
        using var client = await LoginAsync("service");

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(async _ =>
        {
            var leaseId = await NewLeaseAsync(client);
            Assert.Equal(200, (await client.PutAsync("/v1/sys/leases/renew", new { lease_id = leaseId })).Status);
            Assert.Equal(200, (await client.PostAsync("/v1/auth/token/renew-self")).Status);
            using var other = await LoginAsync("service");
        }));

        Assert.Equal(new LeaseStatistics(Issued: Workers, Live: Workers, Renewed: Workers, Revoked: 0), _emulator.GetLeaseStatistics());
        Assert.Equal(new TokenStatistics(Logins: Workers + 1, TokenRenewals: Workers, TokensRevoked: 0), _emulator.GetTokenStatistics());
    }

    [Fact]
    public async Task Statistics_FailedLoginsRenewalsAndRevocations_AreNotCounted()
    {
        using var client = await LoginAsync("service");
        using var stranger = new ApiClient(_emulator);

        await stranger.PostAsync("/v1/auth/kubernetes/login", new { role = "service", jwt = "not-a-jwt" });
        await client.PutAsync("/v1/sys/leases/renew", new { lease_id = "database/creds/app/unknown" });
        await client.PutAsync("/v1/sys/leases/revoke", new { lease_id = "database/creds/app/unknown" });
        _clock.Advance(Hour);
        await client.PostAsync("/v1/auth/token/renew-self");
        await client.PostAsync("/v1/auth/token/revoke-self");

        Assert.Equal(new TokenStatistics(Logins: 1, TokenRenewals: 0, TokensRevoked: 0), _emulator.GetTokenStatistics());
        Assert.Equal(new LeaseStatistics(Issued: 0, Live: 0, Renewed: 0, Revoked: 0), _emulator.GetLeaseStatistics());
    }

    private static async Task<string> NewLeaseAsync(ApiClient client)
    {
        var reply = await client.GetAsync("/v1/database/creds/app");
        Assert.True(reply.Status == 200, reply.Body);
        return reply.Json.GetProperty("lease_id").GetString()!;
    }

    private string AppJwt() => Seed.AppJwt(_emulator);

    private async Task<ApiClient> LoginAsync(string role)
    {
        var client = new ApiClient(_emulator);
        await client.LoginAsync(role, AppJwt());
        return client;
    }
}
