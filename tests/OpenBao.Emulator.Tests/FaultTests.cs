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
    public async Task Latency_DelaysEveryRequest()
    {
        _emulator.Latency = TimeSpan.FromMilliseconds(200);
        var started = System.Diagnostics.Stopwatch.StartNew();

        var reply = await _client.GetAsync("/v1/secret/data/app");

        Assert.Equal(200, reply.Status);
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(190), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task Latency_ClientGivesUp_RequestIsLoggedAs499()
    {
        _emulator.Latency = TimeSpan.FromSeconds(30);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.SendAsync(HttpMethod.Get, "/v1/secret/data/app", cancellationToken: cancel.Token));

        var logged = await WaitForAsync(() => _emulator.Requests.SingleOrDefault());
        Assert.Equal(499, logged.StatusCode);
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe)
        where T : class
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (probe() is { } value)
            {
                return value;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("The condition never held.");
    }
}
