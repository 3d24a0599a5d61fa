namespace OpenBao.Emulator.Tests;

public sealed class FaultTests : IAsyncLifetime
{
    private OpenBaoEmulator _emulator = null!;
    private ApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _emulator = await OpenBaoEmulator.StartAsync();
        _emulator.EnableKvV2();
        _emulator.PutKvV2("secret", "app", new Dictionary<string, object?> { ["k"] = "v" });
        _client = new ApiClient(_emulator) { Token = _emulator.RootToken };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _emulator.DisposeAsync();
    }

    [Theory]
    [InlineData("/v1/secret/data/app")]
    [InlineData("/v1/auth/kubernetes/login")]
    [InlineData("/v1/nothing/here")]
    public async Task Sealed_EveryApiRequest_Is503(string path)
    {
        _emulator.Seal();

        var reply = await _client.GetAsync(path);

        Assert.Equal(503, reply.Status);
        Assert.Equal("{\"errors\":[\"Vault is sealed\"]}\n", reply.Body);
    }

    [Fact]
    public async Task Health_FollowsSealState()
    {
        var active = await _client.GetAsync("/v1/sys/health");
        _emulator.Seal();
        var sealedReply = await _client.GetAsync("/v1/sys/health");
        var overridden = await _client.GetAsync("/v1/sys/health?sealedcode=200");
        _emulator.Unseal();
        var again = await _client.GetAsync("/v1/secret/data/app");

        Assert.Equal(200, active.Status);
        Assert.Equal(
            ["initialized", "sealed", "standby", "replication_performance_mode", "replication_dr_mode", "server_time_utc", "version", "cluster_name", "cluster_id"],
            active.Json.EnumerateObject().Select(property => property.Name));
        Assert.False(active.Json.GetProperty("sealed").GetBoolean());
        Assert.Equal(503, sealedReply.Status);
        Assert.True(sealedReply.Json.GetProperty("sealed").GetBoolean());
        Assert.Equal(200, overridden.Status);
        Assert.Equal(200, again.Status);
    }

    [Fact]
    public async Task FailNext_MatchingRequestsOnly_ForCountRequests()
    {
        _emulator.FailNext(2, 500, "/v1/secret/", "boom");

        var other = await _client.GetAsync("/v1/auth/token/lookup-self");
        var first = await _client.GetAsync("/v1/secret/data/app");
        var second = await _client.GetAsync("/v1/secret/data/app");
        var third = await _client.GetAsync("/v1/secret/data/app");

        Assert.Equal(200, other.Status);
        Assert.Equal((500, "{\"errors\":[\"boom\"]}\n"), (first.Status, first.Body));
        Assert.Equal(500, second.Status);
        Assert.Equal(200, third.Status);
    }

    [Fact]
    public async Task FailNext_WithoutPrefix_HitsAnyRequest()
    {
        _emulator.FailNext(1, 429);

        var reply = await _client.GetAsync("/v1/sys/health");

        Assert.Equal(429, reply.Status);
        Assert.Equal(["injected fault"], reply.Errors);
    }

    [Fact]
    public async Task ClearFaults_UnusedFaultsOfEveryKind_AreDropped()
    {
        _emulator.FailNext(5, 500, "/v1/secret/");
        _emulator.AbortNext(5, "/v1/secret/");
        var failed = await _client.GetAsync("/v1/secret/data/app");

        _emulator.ClearFaults();
        var afterClear = await _client.GetAsync("/v1/secret/data/app");

        Assert.Equal(500, failed.Status);
        Assert.Equal(200, afterClear.Status);
    }

    [Fact]
    public async Task AbortNext_DynamicRead_CredentialIsIssuedButTheConnectionIsReset()
    {
        EnableDatabase();
        _emulator.AbortNext(1, "/v1/database/creds/");

        var exception = await Assert.ThrowsAsync<HttpRequestException>(() => _client.GetAsync("/v1/database/creds/app"));
        var next = await _client.GetAsync("/v1/database/creds/app");

        Assert.Contains("reset", exception.InnerException?.Message ?? exception.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(200, next.Status);
        Assert.Equal(new LeaseStatistics(Issued: 2, Live: 2, Renewed: 0, Revoked: 0), _emulator.GetLeaseStatistics("database/creds/"));
        Assert.Equal([0, 200], _emulator.Requests.Select(request => request.StatusCode));
    }

    [Fact]
    public async Task AbortNext_OtherPaths_AreAnsweredNormally()
    {
        EnableDatabase();
        _emulator.AbortNext(2, "/v1/database/");

        var other = await _client.GetAsync("/v1/secret/data/app");

        Assert.Equal(200, other.Status);
        Assert.Equal(0, _emulator.GetLeaseStatistics().Issued);
    }

    [Fact]
    public async Task AbortNext_RenewSelf_TokenIsRenewedAndCounted()
    {
        _emulator.EnableKubernetesAuth();
        _emulator.AddKubernetesRole("kubernetes", "app", new KubernetesRole(["app"], ["shop"], [], TimeSpan.FromHours(1), Audience: "openbao"));
        using var client = await Seed.LoginAsync(_emulator);
        _emulator.AbortNext(1, "/v1/auth/token/renew-self");

        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync("/v1/auth/token/renew-self"));

        Assert.Equal(new TokenStatistics(Logins: 1, TokenRenewals: 1, TokensRevoked: 0), _emulator.GetTokenStatistics());
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task FailNext_AfterHandling_CredentialIsIssuedButTheAnswerIsTheFault(int status)
    {
        EnableDatabase();
        _emulator.FailNext(1, status, "/v1/database/creds/", "upstream trouble", afterHandling: true);

        var reply = await _client.GetAsync("/v1/database/creds/app");

        Assert.Equal((status, "{\"errors\":[\"upstream trouble\"]}\n"), (reply.Status, reply.Body));
        Assert.Equal(1, _emulator.GetLeaseStatistics("database/creds/").Issued);
        Assert.Equal(status, _emulator.Requests.Single().StatusCode);
    }

    [Fact]
    public async Task FailNext_BeforeHandling_BackendNeverRuns()
    {
        EnableDatabase();
        _emulator.FailNext(1, 502, "/v1/database/creds/");

        var reply = await _client.GetAsync("/v1/database/creds/app");

        Assert.Equal(502, reply.Status);
        Assert.Equal(0, _emulator.GetLeaseStatistics().Issued);
    }

    [Fact]
    public async Task Faults_OfEveryKind_AreTakenOldestFirstOnePerRequest()
    {
        EnableDatabase();
        _emulator.FailNext(1, 503, "/v1/database/");
        _emulator.AbortNext(1, "/v1/database/");
        _emulator.FailNext(1, 504, "/v1/database/", afterHandling: true);

        var first = await _client.GetAsync("/v1/database/creds/app");
        var issuedAfterFirst = _emulator.GetLeaseStatistics().Issued;
        await Assert.ThrowsAsync<HttpRequestException>(() => _client.GetAsync("/v1/database/creds/app"));
        var third = await _client.GetAsync("/v1/database/creds/app");
        var fourth = await _client.GetAsync("/v1/database/creds/app");

        Assert.Equal(503, first.Status);
        Assert.Equal(0, issuedAfterFirst);
        Assert.Equal(504, third.Status);
        Assert.Equal(200, fourth.Status);
        Assert.Equal(3, _emulator.GetLeaseStatistics().Issued);
    }

    [Fact]
    public async Task Latency_DelaysEveryRequest()
    {
        _emulator.Latency = TimeSpan.FromMilliseconds(200);
        var started = System.Diagnostics.Stopwatch.StartNew();

        var reply = await _client.GetAsync("/v1/secret/data/app");

        Assert.Equal(200, reply.Status);
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(190), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task Latency_ShorterLatencyLater_IsNotHeldBehindALongerOne()
    {
        using var cancel = new CancellationTokenSource();
        var slow = await SendHeldInLatencyAsync(cancel.Token);

        // Due at once: only a waiter held behind the longer one would make it wait.
        _emulator.Latency = TimeSpan.FromTicks(1);
        var quick = await _client.GetAsync("/v1/sys/health").WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(200, quick.Status);
        Assert.False(slow.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
    }

    [Fact]
    public async Task Latency_ClientGivesUp_RequestIsLoggedAs499()
    {
        using var cancel = new CancellationTokenSource();

        // Given up once the emulator holds the request, which logs it when the client has gone.
        var sending = await SendHeldInLatencyAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);

        await _emulator.WhenRequestedAsync("GET", "/v1/secret/data/app").WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(499, Assert.Single(_emulator.Requests).StatusCode);
    }

    /// <summary>A read that waits out 30 s of latency, returned once the emulator holds it.</summary>
    private async Task<Task<ApiReply>> SendHeldInLatencyAsync(CancellationToken cancellationToken)
    {
        _emulator.Latency = TimeSpan.FromSeconds(30);
        var sending = _client.SendAsync(HttpMethod.Get, "/v1/secret/data/app", cancellationToken: cancellationToken);
        await _emulator.WhenArrivedAsync("GET", "/v1/secret/data/app").WaitAsync(TimeSpan.FromSeconds(30));
        return sending;
    }

    private void EnableDatabase()
    {
        _emulator.EnableDatabase();
        _emulator.AddDatabaseRole("app", TimeSpan.FromHours(1), TimeSpan.FromHours(2));
    }
}
