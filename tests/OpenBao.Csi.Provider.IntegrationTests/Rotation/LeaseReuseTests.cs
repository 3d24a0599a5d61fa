using Grpc.Core;
using OpenBao.Csi.Provider.V1Alpha1;
using OpenBao.Emulator;
using static OpenBao.Csi.Provider.IntegrationTests.Rotation.RotationHarness;

namespace OpenBao.Csi.Provider.IntegrationTests.Rotation;

/// <summary>Rotation polls against dynamic secrets: one credential per pod while its lease can live, renewed, re-issued in time.</summary>
public sealed class LeaseReuseTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task TenPolls_WithinLeaseLife_IssueOneCredentialAndOneVersion()
    {
        await using var harness = await StartAsync();

        var versions = new HashSet<string>();
        var users = new HashSet<string>();
        for (var poll = 0; poll < 10; poll++)
        {
            var response = await harness.PollAsync(DynamicObjects);
            versions.Add(Version(response, "db-user") + Version(response, "db-pass"));
            users.Add(Contents(response, "db-user"));
            await harness.AdvanceAsync(Poll);
        }

        Assert.Single(versions);
        Assert.Single(users);
        Assert.Equal(1, harness.DatabaseLeases.Issued);
        Assert.Equal(1, harness.Bao.GetTokenStatistics().Logins);
    }

    [Fact]
    public async Task SecondPod_GetsItsOwnCredential()
    {
        await using var harness = await StartAsync();

        var first = await harness.PollAsync(DynamicObjects, podUid: "uid-1", podName: "app-1");
        var second = await harness.PollAsync(DynamicObjects, podUid: "uid-2", podName: "app-2");
        var firstAgain = await harness.PollAsync(DynamicObjects, podUid: "uid-1", podName: "app-1");

        Assert.NotEqual(Contents(first, "db-user"), Contents(second, "db-user"));
        Assert.Equal(Contents(first, "db-user"), Contents(firstAgain, "db-user"));
        Assert.Equal(2, harness.DatabaseLeases.Issued);
    }

    [Fact]
    public async Task LeasePastThreshold_IsRenewedNotReissued()
    {
        await using var harness = await StartAsync(databaseTtl: TimeSpan.FromMinutes(30));
        var first = await harness.PollAsync(DynamicObjects);

        // 30-minute lease: due for renewal after 20 minutes, renewed in the background, served unchanged for two hours.
        await AdvanceInPollsAsync(harness, first, TimeSpan.FromHours(2));

        var leases = harness.DatabaseLeases;
        Assert.Equal(1, leases.Issued);
        Assert.Equal(1, leases.Live);
        Assert.InRange(leases.Renewed, 5, 7);
    }

    [Fact]
    public async Task LeaseAtMaxTtl_NewCredentialAndVersionArriveBeforeTheOldDies()
    {
        await using var harness = await StartAsync(databaseTtl: TimeSpan.FromHours(1), databaseMaxTtl: TimeSpan.FromHours(2));
        var original = await harness.PollAsync(DynamicObjects);
        var changedAt = TimeSpan.Zero;
        MountResponse? replacement = null;

        for (var elapsed = Poll; elapsed <= TimeSpan.FromHours(2); elapsed += Poll)
        {
            await harness.AdvanceAsync(Poll);
            var response = await harness.PollAsync(DynamicObjects);
            if (Version(response, "db-pass") != Version(original, "db-pass"))
            {
                changedAt = elapsed;
                replacement = response;
                // The old credential is still live when its successor is handed out.
                Assert.Equal(2, harness.DatabaseLeases.Live);
                break;
            }
        }

        Assert.NotNull(replacement);
        // Renewed at 40 and 80 minutes, each up to a tenth earlier (jitter); the second grant falls short of the hour.
        Assert.InRange(changedAt, TimeSpan.FromMinutes(70), TimeSpan.FromMinutes(110));
        Assert.NotEqual(Contents(original, "db-user"), Contents(replacement, "db-user"));
        Assert.Equal(2, harness.DatabaseLeases.Issued);
    }

    [Fact]
    public async Task ShortLivedToken_IsRenewed_OneLoginOverManyPolls()
    {
        await using var harness = await StartAsync(role: new KubernetesRole(["app"], ["shop"], ["shop"], TimeSpan.FromMinutes(5), Audience: "openbao"));

        for (var poll = 0; poll < 30; poll++)
        {
            await harness.PollAsync(DynamicObjects);
            await harness.AdvanceAsync(TimeSpan.FromMinutes(1));
        }

        var tokens = harness.Bao.GetTokenStatistics();
        Assert.Equal(1, tokens.Logins);
        // Renewed at two thirds of each 5-minute grant, seen by a pass every minute: every 4 minutes.
        Assert.Equal(7, tokens.TokenRenewals);
        Assert.Equal(1, harness.DatabaseLeases.Issued);
    }

    [Theory]
    [InlineData("1 error occurred:\n\t* policies have changed, not renewing\n\n")]
    [InlineData("1 error occurred:\n\t* role \"app\" does not exist during renewal\n\n")]
    [InlineData("past the max TTL, cannot renew")]
    public async Task TokenRenewalRefusedForGoodWith500_RetiresTheToken_NextPollLogsInAgain(string refusal)
    {
        await using var harness = await StartAsync(role: new KubernetesRole(["app"], ["shop"], ["shop"], TimeSpan.FromMinutes(20), Audience: "openbao"));
        await harness.PollAsync(DynamicObjects);

        // Enough for the client's own retries of a 500, at the first renewal (12 to 13.3 minutes in); a later one would succeed.
        harness.Bao.FailNext(3, 500, "/v1/auth/token/renew-self", refusal);
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromMinutes(14); elapsed += Poll)
        {
            await harness.AdvanceAsync(Poll);
            await harness.PollAsync(DynamicObjects);
        }

        await harness.AdvanceAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(0, harness.Bao.GetTokenStatistics().TokenRenewals);
        Assert.Equal(2, harness.Bao.GetTokenStatistics().Logins);
    }

    [Fact]
    public async Task TokenAtMaxTtl_LogsInAgainAndReissuesBeforeTheOldTokenDies()
    {
        var role = new KubernetesRole(["app"], ["shop"], ["shop"], TimeSpan.FromMinutes(20), TokenMaxTtl: TimeSpan.FromMinutes(40), Audience: "openbao");
        await using var harness = await StartAsync(role: role);
        var original = await harness.PollAsync(DynamicObjects);
        MountResponse latest = original;

        for (var elapsed = Poll; elapsed < TimeSpan.FromMinutes(40); elapsed += Poll)
        {
            await harness.AdvanceAsync(Poll);
            latest = await harness.PollAsync(DynamicObjects);
            if (Version(latest, "db-pass") != Version(original, "db-pass"))
            {
                Assert.Equal(2, harness.DatabaseLeases.Live);
                break;
            }
        }

        Assert.NotEqual(Contents(original, "db-user"), Contents(latest, "db-user"));
        Assert.Equal(2, harness.Bao.GetTokenStatistics().Logins);
    }

    /// <summary>A certificate has no lease, so it outlives the token that issued it: the pod's next token serves it on.</summary>
    /// <remarks>
    /// Two volumes of one pod share its token; a background pass runs between their polls, so the second volume's
    /// certificate must be handed over by the pass too, not only by a poll.
    /// </remarks>
    [Fact]
    public async Task TokenReplacedAtMaxTtl_CertificatesWithoutALeaseNotIssuedAgain()
    {
        var role = new KubernetesRole(["app"], ["shop"], ["shop"], TimeSpan.FromMinutes(20), TokenMaxTtl: TimeSpan.FromMinutes(40), Audience: "openbao");
        await using var harness = await StartAsync(role: role);
        harness.Bao.EnablePki();
        harness.Bao.AddPkiRole("web", ["example.com"], allowSubdomains: true);
        harness.Bao.AddPolicy("shop", new PolicyRule("pki/issue/web", "create", "update"));
        string Certificate(string name) =>
            $"- objectName: {name}\n  secretPath: pki/issue/web\n  method: POST\n  secretArgs: {{common_name: {name}.example.com, ttl: 24h}}\n  secretKey: certificate\n";
        var first = (A: await harness.PollAsync(Certificate("a")), B: await harness.PollAsync(Certificate("b")));

        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromMinutes(50); elapsed += Poll)
        {
            await harness.AdvanceAsync(Poll);
            Assert.Equal(Version(first.A, "a"), Version(await harness.PollAsync(Certificate("a")), "a"));
            await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
            Assert.Equal(Version(first.B, "b"), Version(await harness.PollAsync(Certificate("b")), "b"));
        }

        Assert.Equal(2, harness.Bao.GetTokenStatistics().Logins);
        Assert.Equal(2, harness.Bao.CountRequests("POST", "/v1/pki/issue/web"));
    }

    /// <summary>
    /// The plugin can neither renew nor issue (its database is down): the credential in hand, which OpenBao never
    /// refused, is served until it ends rather than failing polls the pod gains nothing from.
    /// </summary>
    [Fact]
    public async Task CannotRenewNorIssue_ServesTheCurrentCredentialUntilItEnds()
    {
        await using var harness = await StartAsync(databaseTtl: TimeSpan.FromMinutes(30));
        var first = await harness.PollAsync(DynamicObjects);
        await AdvanceInPollsAsync(harness, first, TimeSpan.FromMinutes(18));
        harness.Bao.FailNext(1000, 400, "/v1/sys/leases/renew", "failed to renew entry: resp: (*logical.Response)(nil) err: dial tcp 10.0.0.5:5432: connect: connection refused");
        harness.Bao.FailNext(1000, 500, "/v1/database/creds/", "error creating database object: dial tcp 10.0.0.5:5432: connect: connection refused");

        await AdvanceInPollsAsync(harness, first, TimeSpan.FromMinutes(10));
        await harness.AdvanceAsync(Poll);
        var failed = await Assert.ThrowsAsync<RpcException>(() => harness.PollAsync(DynamicObjects));

        Assert.Equal(1, harness.DatabaseLeases.Issued);
        Assert.Contains("error creating database object", failed.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lease not found")]
    [InlineData("lease is not renewable")]
    // The engine's own final answer, wrapped as its passing failures are.
    [InlineData("failed to renew entry: resp: (*logical.Response)(nil) err: error during renew: could not find role with name \"shop-db\"")]
    public async Task RenewalRefused_RecoversByReissue(string refusal)
    {
        await using var harness = await StartAsync(databaseTtl: TimeSpan.FromMinutes(30));
        var first = await harness.PollAsync(DynamicObjects);
        await AdvanceInPollsAsync(harness, first, TimeSpan.FromMinutes(18));

        harness.Bao.FailNext(1, 400, "/v1/sys/leases/renew", refusal);
        await harness.AdvanceAsync(TimeSpan.FromMinutes(3));
        var next = await harness.PollAsync(DynamicObjects);

        Assert.NotEqual(Version(first, "db-pass"), Version(next, "db-pass"));
        Assert.Equal(2, harness.DatabaseLeases.Issued);
    }

    /// <param name="faults">Enough for the pass and the poll that try to renew meanwhile (a 502 is retried twice).</param>
    [Theory]
    [InlineData(502, "bad gateway", 6)]
    // The plugin behind the lease failed (here its database is unreachable): OpenBao says so with a 400.
    [InlineData(400, "failed to renew entry: resp: (*logical.Response)(nil) err: dial tcp 10.0.0.5:5432: connect: connection refused", 2)]
    // A standby that cannot forward and names no active node: a redirect the client does not follow.
    [InlineData(307, "standby", 2)]
    public async Task RenewalFailsWhileOpenBaoOrItsBackendIsDown_KeepsServingTheLiveCredential(int status, string error, int faults)
    {
        await using var harness = await StartAsync(databaseTtl: TimeSpan.FromMinutes(30));
        var first = await harness.PollAsync(DynamicObjects);
        await AdvanceInPollsAsync(harness, first, TimeSpan.FromMinutes(18));

        harness.Bao.FailNext(faults, status, "/v1/sys/leases/renew", error);
        await harness.AdvanceAsync(TimeSpan.FromMinutes(3));
        var next = await harness.PollAsync(DynamicObjects);

        Assert.Equal(Version(first, "db-pass"), Version(next, "db-pass"));
        Assert.Equal(1, harness.DatabaseLeases.Issued);
        Assert.Equal(0, harness.DatabaseLeases.Renewed);

        // Once OpenBao is back, the next pass renews the same lease.
        await harness.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, harness.DatabaseLeases.Renewed);
    }

    /// <summary>
    /// OpenBao answers but the plugin never manages to renew: the credential is served while it has life to spare,
    /// then replaced before it ends, not on the first poll after it died.
    /// </summary>
    [Fact]
    public async Task BackendKeepsFailingToRenew_ReplacedBeforeTheCredentialEnds()
    {
        await using var harness = await StartAsync(databaseTtl: TimeSpan.FromMinutes(30));
        var issued = harness.Clock.GetUtcNow();
        var first = await harness.PollAsync(DynamicObjects);
        await AdvanceInPollsAsync(harness, first, TimeSpan.FromMinutes(18));
        harness.Bao.FailNext(1000, 400, "/v1/sys/leases/renew", "failed to renew entry: resp: (*logical.Response)(nil) err: renew statement failed");

        await AdvanceInPollsAsync(harness, first, TimeSpan.FromMinutes(6));
        await harness.AdvanceAsync(Poll);
        var replaced = await harness.PollAsync(DynamicObjects);

        Assert.NotEqual(Version(first, "db-pass"), Version(replaced, "db-pass"));
        Assert.Equal(2, harness.DatabaseLeases.Issued);
        Assert.True(harness.Clock.GetUtcNow() < issued + TimeSpan.FromMinutes(30), "replaced only once the first credential had ended");
    }

    /// <summary>Polls every two minutes, as the driver does, checking that the credential stays the one first served.</summary>
    private static async Task AdvanceInPollsAsync(RotationHarness harness, MountResponse first, TimeSpan total)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < total; elapsed += Poll)
        {
            await harness.AdvanceAsync(Poll);
            Assert.Equal(Version(first, "db-pass"), Version(await harness.PollAsync(DynamicObjects), "db-pass"));
        }
    }

    [Fact]
    public async Task KvChange_StillRotatesOnTheNextPoll()
    {
        await using var harness = await StartAsync();
        var first = await harness.PollAsync(KvObject + DynamicObjects);

        harness.Bao.PutKvV2("secret", "shop/api", new Dictionary<string, object?> { ["key"] = "v2" });
        var next = await harness.PollAsync(KvObject + DynamicObjects);

        Assert.Equal("v2", Contents(next, "api"));
        Assert.NotEqual(Version(first, "api"), Version(next, "api"));
        Assert.Equal(Version(first, "db-pass"), Version(next, "db-pass"));
        Assert.Equal(2, harness.Bao.CountRequests("GET", "/v1/secret/data/shop/api"));
    }

    [Fact]
    public async Task LeasePolicyReissue_IssuesACredentialEveryPoll()
    {
        await using var harness = await StartAsync();
        var objects = DynamicObjects.Replace("secretKey: password\n", "secretKey: password\n  leasePolicy: reissue\n", StringComparison.Ordinal);

        for (var poll = 0; poll < 3; poll++)
        {
            await harness.PollAsync(objects);
        }

        Assert.Equal(3, harness.DatabaseLeases.Issued);
    }

    [Fact]
    public async Task EightConcurrentMountsOfOnePod_ShareOneRead()
    {
        await using var harness = await StartAsync();
        // Long enough that all eight reach the provider while the first one's login and read are in flight,
        // even on a starved machine.
        harness.Bao.Latency = TimeSpan.FromSeconds(1);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => harness.PollAsync(KvObject + DynamicObjects)));

        Assert.Single(responses.Select(r => Contents(r, "db-user")).Distinct());
        Assert.Equal(1, harness.DatabaseLeases.Issued);
        Assert.Equal(1, harness.Bao.CountRequests("GET", "/v1/secret/data/shop/api"));
        Assert.Equal(1, harness.Bao.GetTokenStatistics().Logins);
    }

    [Fact]
    public async Task ConnectionResetAfterDynamicReadWasSent_IsNotRetried()
    {
        await using var harness = await StartAsync();

        harness.Bao.AbortNext(1, "/v1/database/creds/");
        var failure = await Assert.ThrowsAsync<RpcException>(() => harness.PollAsync(DynamicObjects));
        Assert.Equal(StatusCode.Aborted, failure.StatusCode);
        Assert.Equal(1, harness.DatabaseLeases.Issued);

        await harness.PollAsync(DynamicObjects);
        Assert.Equal(2, harness.DatabaseLeases.Issued);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task ServerErrorAfterDynamicRead_IsNotRetried(int status)
    {
        await using var harness = await StartAsync();

        harness.Bao.FailNext(1, status, "/v1/database/creds/", "upstream trouble", afterHandling: true);
        await Assert.ThrowsAsync<RpcException>(() => harness.PollAsync(DynamicObjects));

        Assert.Equal(1, harness.DatabaseLeases.Issued);
    }

    [Theory]
    [InlineData(429, "standby")]
    // A standby that does not know the active node yet (an election under way) refuses before handling anything.
    [InlineData(500, "local node not active but active cluster node not found")]
    public async Task StandbyAnswer_IsRetried_OneCredential(int status, string error)
    {
        await using var harness = await StartAsync();

        harness.Bao.FailNext(1, status, "/v1/database/creds/", error);
        await harness.PollAsync(DynamicObjects);

        Assert.Equal(1, harness.DatabaseLeases.Issued);
    }
}
