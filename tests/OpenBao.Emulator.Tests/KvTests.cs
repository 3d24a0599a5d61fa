using System.Text.Json;

namespace OpenBao.Emulator.Tests;

public sealed class KvTests : IAsyncLifetime
{
    private OpenBaoEmulator _emulator = null!;
    private ApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _emulator = await OpenBaoEmulator.StartAsync();
        _emulator.EnableKvV2();
        _emulator.EnableKvV1();
        _emulator.EnableKvV1("short", defaultLeaseTtlSeconds: 60);
        _client = new ApiClient(_emulator) { Token = _emulator.RootToken };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task KvV2_Read_ReturnsLatestVersionWithMetadata()
    {
        Assert.Equal(1, _emulator.PutKvV2("secret", "shop/db", new Dictionary<string, object?> { ["password"] = "one" }));
        Assert.Equal(2, _emulator.PutKvV2("secret", "shop/db", new Dictionary<string, object?> { ["password"] = "two", ["port"] = 5432, ["tags"] = new[] { "a" } }));

        var reply = await _client.GetAsync("/v1/secret/data/shop/db");

        Assert.Equal(200, reply.Status);
        Assert.Equal("{\"password\":\"two\",\"port\":5432,\"tags\":[\"a\"]}", reply.Data.GetProperty("data").GetRawText());
        var metadata = reply.Data.GetProperty("metadata");
        Assert.Equal(["created_time", "custom_metadata", "deletion_time", "destroyed", "version"], metadata.EnumerateObject().Select(property => property.Name));
        Assert.Equal(2, metadata.GetProperty("version").GetInt32());
        Assert.Equal("", metadata.GetProperty("deletion_time").GetString());
        Assert.False(metadata.GetProperty("destroyed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, metadata.GetProperty("custom_metadata").ValueKind);
        Assert.True(DateTimeOffset.TryParse(metadata.GetProperty("created_time").GetString(), out _));
    }

    [Fact]
    public async Task KvV2_ReadWithVersion_ReturnsThatVersion()
    {
        _emulator.PutKvV2("secret", "app", new Dictionary<string, object?> { ["v"] = "1" });
        _emulator.PutKvV2("secret", "app", new Dictionary<string, object?> { ["v"] = "2" });

        var reply = await _client.GetAsync("/v1/secret/data/app?version=1");

        Assert.Equal("1", reply.Data.GetProperty("data").GetProperty("v").GetString());
        Assert.Equal(1, reply.Data.GetProperty("metadata").GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task KvV2_SoftDeletedVersion_Is404WithFullEnvelopeAndDeletionTime()
    {
        _emulator.PutKvV2("secret", "app", new Dictionary<string, object?> { ["v"] = "1" });
        _emulator.DeleteKvV2Version("secret", "app", 1);

        var reply = await _client.GetAsync("/v1/secret/data/app");

        Assert.Equal(404, reply.Status);
        Assert.Equal(JsonValueKind.Null, reply.Data.GetProperty("data").ValueKind);
        Assert.NotEqual("", reply.Data.GetProperty("metadata").GetProperty("deletion_time").GetString());
        Assert.False(reply.Data.GetProperty("metadata").GetProperty("destroyed").GetBoolean());
        Assert.True(reply.Json.TryGetProperty("request_id", out _));
    }

    [Fact]
    public async Task KvV2_DestroyedVersion_Is404WithDestroyedTrue_OlderVersionStillReadable()
    {
        _emulator.PutKvV2("secret", "app", new Dictionary<string, object?> { ["v"] = "1" });
        _emulator.PutKvV2("secret", "app", new Dictionary<string, object?> { ["v"] = "2" });
        _emulator.DestroyKvV2Version("secret", "app", 2);

        var latest = await _client.GetAsync("/v1/secret/data/app");
        var older = await _client.GetAsync("/v1/secret/data/app?version=1");

        Assert.Equal(404, latest.Status);
        Assert.True(latest.Data.GetProperty("metadata").GetProperty("destroyed").GetBoolean());
        Assert.Equal("", latest.Data.GetProperty("metadata").GetProperty("deletion_time").GetString());
        Assert.Equal(200, older.Status);
    }

    [Theory]
    [InlineData("/v1/secret/data/missing")]
    [InlineData("/v1/secret/data/app?version=7")]
    [InlineData("/v1/kv/missing")]
    public async Task Kv_MissingPathOrVersion_Is404WithEmptyErrors(string path)
    {
        _emulator.PutKvV2("secret", "app", new Dictionary<string, object?> { ["v"] = "1" });

        var reply = await _client.GetAsync(path);

        Assert.Equal(404, reply.Status);
        Assert.Equal("{\"errors\":[]}\n", reply.Body);
    }

    [Fact]
    public async Task KvV2_V1StylePath_Is404EnvelopeWithWarning()
    {
        var reply = await _client.GetAsync("/v1/secret/app");

        Assert.Equal(404, reply.Status);
        Assert.Equal(JsonValueKind.Null, reply.Data.ValueKind);
        Assert.Equal(
            ["Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the OpenBao CLI, use 'bao kv get' for this operation."],
            reply.Warnings);
    }

    [Fact]
    public async Task KvV2_NonNumericVersion_Is400()
    {
        var reply = await _client.GetAsync("/v1/secret/data/app?version=abc");

        Assert.Equal(400, reply.Status);
    }

    [Theory]
    [InlineData("kv", "plain", 2764800)]
    [InlineData("short", "plain", 60)]
    [InlineData("kv", "with-ttl", 90)]
    public async Task KvV1_Read_ReportsDurationWithoutLease(string mount, string path, int leaseDuration)
    {
        _emulator.PutKvV1(mount, "plain", new Dictionary<string, object?> { ["user"] = "svc" });
        _emulator.PutKvV1(mount, "with-ttl", new Dictionary<string, object?> { ["user"] = "svc", ["ttl"] = "1m30s" });

        var reply = await _client.GetAsync($"/v1/{mount}/{path}");

        Assert.Equal(200, reply.Status);
        Assert.Equal("", reply.Json.GetProperty("lease_id").GetString());
        Assert.False(reply.Json.GetProperty("renewable").GetBoolean());
        Assert.Equal(leaseDuration, reply.Json.GetProperty("lease_duration").GetInt32());
        Assert.Equal("svc", reply.Data.GetProperty("user").GetString());
    }

    [Fact]
    public void Seeding_UnknownMountOrVersion_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => _emulator.PutKvV2("nope", "app", new Dictionary<string, object?>()));
        Assert.Throws<InvalidOperationException>(() => _emulator.PutKvV2("kv", "app", new Dictionary<string, object?>()));
        Assert.Throws<InvalidOperationException>(() => _emulator.DeleteKvV2Version("secret", "absent", 1));
        Assert.Throws<InvalidOperationException>(() => _emulator.EnableKvV2());
    }
}
