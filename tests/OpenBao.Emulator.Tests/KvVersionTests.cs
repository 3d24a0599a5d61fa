using System.Globalization;
using System.Text.Json;

namespace OpenBao.Emulator.Tests;

/// <summary>KV v2 metadata reads, soft deletes, undeletes, destroys and metadata deletes over HTTP.</summary>
public sealed class KvVersionTests : IAsyncLifetime
{
    private static readonly HttpMethod List = new("LIST");

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).AddMilliseconds(250));
    private OpenBaoEmulator _emulator = null!;
    private ApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _emulator = await OpenBaoEmulator.StartAsync(new EmulatorOptions { TimeProvider = _clock });
        _emulator.EnableKvV2();
        _client = new ApiClient(_emulator) { Token = _emulator.RootToken };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task Metadata_AfterUpdatesDeletesAndDestroys_DescribesEveryVersion()
    {
        var first = _clock.GetUtcNow();
        Put("shop/db", "1");
        _clock.Advance(TimeSpan.FromMinutes(1));
        Put("shop/db", "2");
        _clock.Advance(TimeSpan.FromMinutes(1));
        var last = _clock.GetUtcNow();
        Put("shop/db", "3");
        _clock.Advance(TimeSpan.FromMinutes(1));
        var deleted = _clock.GetUtcNow();
        _emulator.DeleteKvV2Versions("secret", "shop/db", 2);
        _emulator.DestroyKvV2Versions("secret", "shop/db", 1);

        var reply = await _client.GetAsync("/v1/secret/metadata/shop/db");

        Assert.Equal(200, reply.Status);
        Assert.Equal("", reply.Json.GetProperty("lease_id").GetString());
        Assert.Equal(0, reply.Json.GetProperty("lease_duration").GetInt32());
        var data = reply.Data;
        Assert.Equal(
            ["cas_required", "created_time", "current_metadata_version", "current_version", "custom_metadata", "delete_version_after", "max_versions", "metadata_cas_required", "oldest_version", "updated_time", "versions"],
            data.EnumerateObject().Select(property => property.Name));
        Assert.False(data.GetProperty("cas_required").GetBoolean());
        Assert.False(data.GetProperty("metadata_cas_required").GetBoolean());
        Assert.Equal(0, data.GetProperty("current_metadata_version").GetInt32());
        Assert.Equal(3, data.GetProperty("current_version").GetInt32());
        Assert.Equal(0, data.GetProperty("oldest_version").GetInt32());
        Assert.Equal(0, data.GetProperty("max_versions").GetInt32());
        Assert.Equal("0s", data.GetProperty("delete_version_after").GetString());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("custom_metadata").ValueKind);
        Assert.Equal(first, Time(data.GetProperty("created_time")));
        Assert.Equal(last, Time(data.GetProperty("updated_time")));
        Assert.Equal("2026-03-01T12:00:00.25Z", data.GetProperty("created_time").GetString());

        var versions = data.GetProperty("versions");
        Assert.Equal(["1", "2", "3"], versions.EnumerateObject().Select(property => property.Name));
        Assert.True(versions.GetProperty("1").GetProperty("destroyed").GetBoolean());
        Assert.Equal("", versions.GetProperty("1").GetProperty("deletion_time").GetString());
        Assert.False(versions.GetProperty("2").GetProperty("destroyed").GetBoolean());
        Assert.Equal(deleted, Time(versions.GetProperty("2").GetProperty("deletion_time")));
        Assert.Equal("", versions.GetProperty("3").GetProperty("deletion_time").GetString());
        Assert.Equal(last, Time(versions.GetProperty("3").GetProperty("created_time")));
        Assert.Equal(["created_time", "deletion_time", "destroyed"], versions.GetProperty("3").EnumerateObject().Select(property => property.Name));
    }

    [Theory]
    [InlineData("/v1/secret/metadata/missing")]
    [InlineData("/v1/secret/metadata/shop")]
    public async Task Metadata_Missing_Is404WithEmptyErrors(string path)
    {
        Put("shop/db", "1");

        var reply = await _client.GetAsync(path);

        Assert.Equal(404, reply.Status);
        Assert.Equal("{\"errors\":[]}\n", reply.Body);
    }

    [Fact]
    public async Task Metadata_PastTenVersions_TrimsTheOldest_AndTheirReadsAre404()
    {
        for (var i = 1; i <= 12; i++)
        {
            Put("app", i.ToString(CultureInfo.InvariantCulture));
        }

        var metadata = await _client.GetAsync("/v1/secret/metadata/app");
        var trimmed = await _client.GetAsync("/v1/secret/data/app?version=2");
        var oldestKept = await _client.GetAsync("/v1/secret/data/app?version=3");

        Assert.Equal(12, metadata.Data.GetProperty("current_version").GetInt32());
        Assert.Equal(3, metadata.Data.GetProperty("oldest_version").GetInt32());
        Assert.Equal(Enumerable.Range(3, 10).Select(number => number.ToString(CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal), metadata.Data.GetProperty("versions").EnumerateObject().Select(property => property.Name));
        Assert.Equal("{\"errors\":[]}\n", trimmed.Body);
        Assert.Equal("3", oldestKept.Data.GetProperty("data").GetProperty("v").GetString());
    }

    [Fact]
    public async Task Metadata_TenthVersion_MovesOldestVersionToOne()
    {
        for (var i = 1; i <= 10; i++)
        {
            Put("app", i.ToString(CultureInfo.InvariantCulture));
        }

        var metadata = await _client.GetAsync("/v1/secret/metadata/app");

        Assert.Equal(1, metadata.Data.GetProperty("oldest_version").GetInt32());
        Assert.Equal(10, metadata.Data.GetProperty("versions").EnumerateObject().Count());
    }

    [Fact]
    public async Task DeleteVersionAfter_VersionServedUntilItsDeletionTime_Then404()
    {
        _emulator.SetKvV2DeleteVersionAfter("secret", "app", TimeSpan.FromHours(1));
        var written = _clock.GetUtcNow();
        Put("app", "1");

        var served = await _client.GetAsync("/v1/secret/data/app");
        var metadata = await _client.GetAsync("/v1/secret/metadata/app");
        _clock.Advance(TimeSpan.FromHours(1));
        var expired = await _client.GetAsync("/v1/secret/data/app");

        Assert.Equal(200, served.Status);
        Assert.Equal(written.AddHours(1), Time(served.Data.GetProperty("metadata").GetProperty("deletion_time")));
        Assert.Equal("1h0m0s", metadata.Data.GetProperty("delete_version_after").GetString());
        Assert.Equal(written.AddHours(1), Time(metadata.Data.GetProperty("versions").GetProperty("1").GetProperty("deletion_time")));
        Assert.Equal(404, expired.Status);
        Assert.Equal(JsonValueKind.Null, expired.Data.GetProperty("data").ValueKind);
    }

    [Fact]
    public async Task DataDelete_SoftDeletesLatest_ReadIs404EnvelopeAndOlderVersionStillReads()
    {
        Put("app", "1");
        Put("app", "2");
        var deletedAt = _clock.GetUtcNow();

        var delete = await _client.SendAsync(HttpMethod.Delete, "/v1/secret/data/app");
        _clock.Advance(TimeSpan.FromMinutes(5));
        var again = await _client.SendAsync(HttpMethod.Delete, "/v1/secret/data/app");
        var latest = await _client.GetAsync("/v1/secret/data/app");
        var older = await _client.GetAsync("/v1/secret/data/app?version=1");

        Assert.Equal((204, ""), (delete.Status, delete.Body));
        Assert.Equal(204, again.Status);
        Assert.Equal(404, latest.Status);
        Assert.EndsWith("}", latest.Body, StringComparison.Ordinal);
        Assert.Equal(["request_id", "lease_id", "renewable", "lease_duration", "data", "wrap_info", "warnings", "auth"], latest.Json.EnumerateObject().Select(property => property.Name));
        Assert.Equal(JsonValueKind.Null, latest.Data.GetProperty("data").ValueKind);
        Assert.Equal(2, latest.Data.GetProperty("metadata").GetProperty("version").GetInt32());
        Assert.Equal(deletedAt, Time(latest.Data.GetProperty("metadata").GetProperty("deletion_time")));
        Assert.False(latest.Data.GetProperty("metadata").GetProperty("destroyed").GetBoolean());
        Assert.Equal(200, older.Status);
        Assert.Equal("1", older.Data.GetProperty("data").GetProperty("v").GetString());
    }

    [Fact]
    public async Task DataDelete_MissingSecret_Is204()
    {
        var reply = await _client.SendAsync(HttpMethod.Delete, "/v1/secret/data/missing");

        Assert.Equal(204, reply.Status);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"1,2\"")]
    [InlineData("[\"1\",\"2\"]")]
    public async Task DeleteThenUndelete_RestoresOnlyTheUndeletedVersions(string versions)
    {
        Put("app", "1");
        Put("app", "2");
        Put("app", "3");

        var delete = await _client.PostAsync("/v1/secret/delete/app", $"{{\"versions\":{versions}}}");
        var deletedOne = await _client.GetAsync("/v1/secret/data/app?version=1");
        var deletedTwo = await _client.GetAsync("/v1/secret/data/app?version=2");
        var undelete = await _client.PostAsync("/v1/secret/undelete/app", new { versions = new[] { 2 } });
        var stillDeleted = await _client.GetAsync("/v1/secret/data/app?version=1");
        var restored = await _client.GetAsync("/v1/secret/data/app?version=2");
        var untouched = await _client.GetAsync("/v1/secret/data/app");

        Assert.Equal((204, ""), (delete.Status, delete.Body));
        Assert.Equal((404, 404), (deletedOne.Status, deletedTwo.Status));
        Assert.Equal((204, ""), (undelete.Status, undelete.Body));
        Assert.Equal(404, stillDeleted.Status);
        Assert.Equal(200, restored.Status);
        Assert.Equal("2", restored.Data.GetProperty("data").GetProperty("v").GetString());
        Assert.Equal("", restored.Data.GetProperty("metadata").GetProperty("deletion_time").GetString());
        Assert.Equal(200, untouched.Status);
    }

    [Fact]
    public async Task Destroy_IsPermanent_UndeleteCannotRestoreIt()
    {
        Put("app", "1");
        Put("app", "2");

        var destroy = await _client.PutAsync("/v1/secret/destroy/app", new { versions = new[] { 2 } });
        var undelete = await _client.PostAsync("/v1/secret/undelete/app", new { versions = new[] { 2 } });
        var read = await _client.GetAsync("/v1/secret/data/app");
        var metadata = await _client.GetAsync("/v1/secret/metadata/app");

        Assert.Equal((204, ""), (destroy.Status, destroy.Body));
        Assert.Equal(204, undelete.Status);
        Assert.Equal(404, read.Status);
        Assert.Equal(JsonValueKind.Null, read.Data.GetProperty("data").ValueKind);
        Assert.True(read.Data.GetProperty("metadata").GetProperty("destroyed").GetBoolean());
        Assert.True(metadata.Data.GetProperty("versions").GetProperty("2").GetProperty("destroyed").GetBoolean());
        Assert.False(metadata.Data.GetProperty("versions").GetProperty("1").GetProperty("destroyed").GetBoolean());
    }

    [Fact]
    public async Task Destroy_OfASoftDeletedVersion_KeepsItsDeletionTime()
    {
        Put("app", "1");
        _emulator.DeleteKvV2Versions("secret", "app", 1);

        await _client.PostAsync("/v1/secret/destroy/app", new { versions = new[] { 1 } });
        var read = await _client.GetAsync("/v1/secret/data/app");

        Assert.True(read.Data.GetProperty("metadata").GetProperty("destroyed").GetBoolean());
        Assert.NotEqual("", read.Data.GetProperty("metadata").GetProperty("deletion_time").GetString());
    }

    [Theory]
    [InlineData("delete", "{}", "No version number provided")]
    [InlineData("undelete", "{\"versions\":[]}", "No version number provided")]
    [InlineData("destroy", "{}", "no version number provided")]
    [InlineData("delete", "{\"versions\":\"one\"}", "error converting input one for field \"versions\"")]
    public async Task VersionOperations_WithoutUsableVersions_Are400(string operation, string body, string message)
    {
        Put("app", "1");

        var reply = await _client.PostAsync($"/v1/secret/{operation}/app", body);

        Assert.Equal(400, reply.Status);
        Assert.Equal([message], reply.Errors);
    }

    [Theory]
    [InlineData("delete", "missing")]
    [InlineData("undelete", "missing")]
    [InlineData("destroy", "missing")]
    [InlineData("delete", "app")]
    [InlineData("destroy", "app")]
    public async Task VersionOperations_OnMissingSecretOrVersion_Are204AndChangeNothing(string operation, string path)
    {
        Put("app", "1");

        var reply = await _client.PostAsync($"/v1/secret/{operation}/{path}", new { versions = new[] { 7 } });
        var read = await _client.GetAsync("/v1/secret/data/app");

        Assert.Equal(204, reply.Status);
        Assert.Equal(200, read.Status);
    }

    [Fact]
    public async Task MetadataDelete_RemovesEveryVersion()
    {
        Put("app", "1");
        Put("app", "2");

        var delete = await _client.SendAsync(HttpMethod.Delete, "/v1/secret/metadata/app");
        var data = await _client.GetAsync("/v1/secret/data/app?version=1");
        var metadata = await _client.GetAsync("/v1/secret/metadata/app");
        var missing = await _client.SendAsync(HttpMethod.Delete, "/v1/secret/metadata/app");

        Assert.Equal((204, ""), (delete.Status, delete.Body));
        Assert.Equal("{\"errors\":[]}\n", data.Body);
        Assert.Equal(404, metadata.Status);
        Assert.Equal(204, missing.Status);
    }

    [Fact]
    public async Task Put_AfterMetadataDelete_StartsAgainAtVersionOne()
    {
        Put("app", "1");
        Put("app", "2");
        _emulator.DeleteKvV2Metadata("secret", "app");

        Assert.Equal(1, Put("app", "again"));
        var metadata = await _client.GetAsync("/v1/secret/metadata/app");
        Assert.Equal(["1"], metadata.Data.GetProperty("versions").EnumerateObject().Select(property => property.Name));
    }

    [Fact]
    public async Task UnsupportedOperations_OnVersionedPaths_Are405()
    {
        Put("shop/app", "1");

        var listData = await _client.SendAsync(List, "/v1/secret/data/shop/");
        var readDestroy = await _client.GetAsync("/v1/secret/destroy/shop/app");

        Assert.Equal(405, listData.Status);
        Assert.Equal(["1 error occurred:\n\t* unsupported operation\n\n"], listData.Errors);
        Assert.Equal(405, readDestroy.Status);
    }

    [Theory]
    [InlineData("/v1/secret/metadata", "Non-listing operations on the root of a K/V v2 mount are not supported.")]
    [InlineData("/v1/secret/destroy", "Non-listing operations on the root of a K/V v2 mount are not supported.")]
    [InlineData("/v1/secret/subkeys", "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the OpenBao CLI, use 'bao kv get' for this operation.")]
    public async Task BareRoots_Are404EnvelopesWithOpenBaosWarning(string path, string warning)
    {
        var reply = await _client.GetAsync(path);

        Assert.Equal(404, reply.Status);
        Assert.Equal([warning], reply.Warnings);
        Assert.EndsWith("}", reply.Body, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string, string, int> CapabilityCases => new()
    {
        // rule path, capability, method, request path, status
        { "secret/data/app", "delete", "DELETE", "/v1/secret/data/app", 204 },
        { "secret/data/app", "update", "DELETE", "/v1/secret/data/app", 403 },
        { "secret/delete/app", "update", "POST", "/v1/secret/delete/app", 204 },
        { "secret/delete/app", "create", "POST", "/v1/secret/delete/app", 403 },
        { "secret/data/app", "delete", "POST", "/v1/secret/delete/app", 403 },
        { "secret/undelete/app", "update", "POST", "/v1/secret/undelete/app", 204 },
        { "secret/undelete/app", "delete", "POST", "/v1/secret/undelete/app", 403 },
        { "secret/destroy/app", "update", "PUT", "/v1/secret/destroy/app", 204 },
        { "secret/destroy/app", "delete", "PUT", "/v1/secret/destroy/app", 403 },
        { "secret/metadata/app", "read", "GET", "/v1/secret/metadata/app", 200 },
        { "secret/data/app", "read", "GET", "/v1/secret/metadata/app", 403 },
        { "secret/metadata/app", "list", "GET", "/v1/secret/metadata/app", 403 },
        { "secret/metadata/app", "delete", "DELETE", "/v1/secret/metadata/app", 204 },
        { "secret/data/app", "delete", "DELETE", "/v1/secret/metadata/app", 403 },
    };

    [Theory]
    [MemberData(nameof(CapabilityCases))]
    public async Task Operations_NeedTheCapabilityOpenBaoChecks(string rulePath, string capability, string method, string path, int status)
    {
        await using var emulator = await Seed.StartAsync(policies: "kv");
        emulator.EnableKvV2();
        emulator.PutKvV2("secret", "app", new Dictionary<string, object?> { ["v"] = "1" });
        emulator.AddPolicy("kv", new PolicyRule(rulePath, capability));
        using var client = await Seed.LoginAsync(emulator);

        var reply = await client.SendAsync(new HttpMethod(method), path, method == "DELETE" ? null : new { versions = new[] { 1 } });

        Assert.Equal(status, reply.Status);
        if (status == 403)
        {
            Assert.Equal(["1 error occurred:\n\t* permission denied\n\n"], reply.Errors);
        }
    }

    [Fact]
    public async Task Seeding_DeleteAndDestroyVersions_AreVisibleOverHttp()
    {
        Put("app", "1");
        Put("app", "2");
        Put("app", "3");

        _emulator.DeleteKvV2Versions("secret", "app", 1, 2);
        _emulator.DestroyKvV2Versions("secret", "app", [3], ns: null);

        var metadata = (await _client.GetAsync("/v1/secret/metadata/app")).Data.GetProperty("versions");
        Assert.NotEqual("", metadata.GetProperty("1").GetProperty("deletion_time").GetString());
        Assert.NotEqual("", metadata.GetProperty("2").GetProperty("deletion_time").GetString());
        Assert.True(metadata.GetProperty("3").GetProperty("destroyed").GetBoolean());
    }

    [Fact]
    public async Task Seeding_UnknownSecretOrVersion_ThrowsAndChangesNothing()
    {
        Put("app", "1");

        Assert.Throws<InvalidOperationException>(() => _emulator.DeleteKvV2Versions("secret", "app", 1, 5));
        Assert.Throws<InvalidOperationException>(() => _emulator.DestroyKvV2Versions("secret", "absent", 1));
        Assert.Throws<InvalidOperationException>(() => _emulator.DeleteKvV2Metadata("secret", "absent"));

        Assert.Equal(200, (await _client.GetAsync("/v1/secret/data/app")).Status);
    }

    [Fact]
    public async Task Seeding_InANamespace_AffectsOnlyThatNamespace()
    {
        _emulator.AddNamespace("team-a");
        _emulator.EnableKvV2(ns: "team-a");
        _emulator.PutKvV2("secret", "app", new Dictionary<string, object?> { ["v"] = "ns" }, ns: "team-a");
        Put("app", "root");

        _emulator.DeleteKvV2Versions("secret", "app", [1], ns: "team-a");

        _client.Namespace = "team-a";
        Assert.Equal(404, (await _client.GetAsync("/v1/secret/data/app")).Status);
        _client.Namespace = null;
        Assert.Equal(200, (await _client.GetAsync("/v1/secret/data/app")).Status);
    }

    private static DateTimeOffset Time(JsonElement value) =>
        DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture);

    private int Put(string path, string value) =>
        _emulator.PutKvV2("secret", path, new Dictionary<string, object?> { ["v"] = value });
}
