namespace OpenBao.Emulator.Tests;

public sealed class RequestLogTests : IAsyncLifetime
{
    private OpenBaoEmulator _emulator = null!;

    public async Task InitializeAsync()
    {
        _emulator = await Seed.StartAsync(policies: "reader");
        _emulator.AddNamespace("team-a");
        _emulator.EnableKvV2();
        _emulator.PutKvV2("secret", "app", new Dictionary<string, object?> { ["k"] = "v" });
        _emulator.AddPolicy("reader", new PolicyRule("secret/data/*", "read"));
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task Requests_RecordsShapeButNeverSecrets()
    {
        using var client = await Seed.LoginAsync(_emulator);
        await client.GetAsync("/v1/secret/data/app?version=1");
        client.Namespace = "team-a";
        await client.GetAsync("/v1/secret/data/app");

        var requests = _emulator.Requests;

        Assert.Equal(
            [
                new RecordedRequest("POST", "/v1/auth/kubernetes/login", "", null, 200, false),
                new RecordedRequest("GET", "/v1/secret/data/app", "version=1", null, 200, true),
                new RecordedRequest("GET", "/v1/secret/data/app", "", "team-a", 403, true),
            ],
            requests);
        Assert.DoesNotContain(requests, request => request.ToString().Contains(client.Token!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CountRequests_ByMethodAndPrefix_ClearRequestsEmpties()
    {
        using var client = await Seed.LoginAsync(_emulator);
        await client.GetAsync("/v1/secret/data/app");
        await client.GetAsync("/v1/secret/data/other");

        Assert.Equal(1, _emulator.CountRequests("POST", "/v1/auth/kubernetes/login"));
        Assert.Equal(2, _emulator.CountRequests("get", "/v1/secret/"));
        Assert.Equal(0, _emulator.CountRequests("PUT", "/v1/secret/"));

        _emulator.ClearRequests();

        Assert.Empty(_emulator.Requests);
    }
}
