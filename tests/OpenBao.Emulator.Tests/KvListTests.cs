namespace OpenBao.Emulator.Tests;

/// <summary>Folder listing on KV v2 (<c>metadata/</c>) and KV v1 mounts, through LIST and GET ?list=true.</summary>
public sealed class KvListTests : IAsyncLifetime
{
    private static readonly HttpMethod List = new("LIST");

    private OpenBaoEmulator _emulator = null!;
    private ApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _emulator = await OpenBaoEmulator.StartAsync();
        _emulator.EnableKvV2();
        _emulator.EnableKvV1();
        foreach (var path in (string[])["shop/db", "shop/api", "shop/team/a", "shop/team/b", "shop/z/deep/x", "shop", "other/x"])
        {
            _emulator.PutKvV2("secret", path, new Dictionary<string, object?> { ["v"] = path });
            _emulator.PutKvV1("kv", path, new Dictionary<string, object?> { ["v"] = path });
        }

        _client = new ApiClient(_emulator) { Token = _emulator.RootToken };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _emulator.DisposeAsync();
    }

    [Theory]
    [InlineData("LIST", "/v1/secret/metadata/shop/")]
    [InlineData("LIST", "/v1/secret/metadata/shop")]
    [InlineData("GET", "/v1/secret/metadata/shop/?list=true")]
    [InlineData("GET", "/v1/secret/metadata/shop?list=1")]
    [InlineData("LIST", "/v1/kv/shop/")]
    [InlineData("GET", "/v1/kv/shop?list=true")]
    public async Task List_ReturnsDirectChildren_SubFoldersWithSlash_Sorted(string method, string path)
    {
        var reply = await _client.SendAsync(new HttpMethod(method), path);

        Assert.Equal(200, reply.Status);
        Assert.Equal(["api", "db", "team/", "z/"], Keys(reply));
        Assert.Equal("", reply.Json.GetProperty("lease_id").GetString());
        Assert.Equal(0, reply.Json.GetProperty("lease_duration").GetInt32());
        Assert.Equal(["keys"], reply.Data.EnumerateObject().Select(property => property.Name));
    }

    [Theory]
    [InlineData("/v1/secret/metadata/")]
    [InlineData("/v1/secret/metadata")]
    [InlineData("/v1/kv/")]
    [InlineData("/v1/kv")]
    public async Task List_MountRoot_ShowsASecretAndTheFolderOfTheSameName(string path)
    {
        var reply = await _client.SendAsync(List, path);

        Assert.Equal(200, reply.Status);
        Assert.Equal(["other/", "shop", "shop/"], Keys(reply));
    }

    [Theory]
    [InlineData("/v1/secret/metadata/nothing/")]
    [InlineData("/v1/secret/metadata/shop/db/")]
    [InlineData("/v1/secret/metadata/sho/")]
    [InlineData("/v1/kv/nothing/")]
    [InlineData("/v1/kv/shop/db")]
    public async Task List_EmptyFolder_Is404WithEmptyErrors(string path)
    {
        var reply = await _client.SendAsync(List, path);

        Assert.Equal(404, reply.Status);
        Assert.Equal("{\"errors\":[]}\n", reply.Body);
    }

    [Fact]
    public async Task ListMetadata_KeepsSecretsWhoseEveryVersionIsDeletedOrDestroyed()
    {
        _emulator.DeleteKvV2Versions("secret", "shop/db", 1);
        _emulator.DestroyKvV2Versions("secret", "shop/api", 1);

        var reply = await _client.SendAsync(List, "/v1/secret/metadata/shop/");

        Assert.Equal(["api", "db", "team/", "z/"], Keys(reply));
    }

    [Fact]
    public async Task ListMetadata_AfterMetadataDeletes_FolderLosesChildThenDisappears()
    {
        _emulator.DeleteKvV2Metadata("secret", "shop/team/a");
        var oneLeft = await _client.SendAsync(List, "/v1/secret/metadata/shop/team/");
        await _client.SendAsync(HttpMethod.Delete, "/v1/secret/metadata/shop/team/b");
        var folderGone = await _client.SendAsync(List, "/v1/secret/metadata/shop/");
        var emptied = await _client.SendAsync(List, "/v1/secret/metadata/shop/team/");

        Assert.Equal(["b"], Keys(oneLeft));
        Assert.Equal(["api", "db", "z/"], Keys(folderGone));
        Assert.Equal(404, emptied.Status);
    }

    [Theory]
    [InlineData("?after=api&limit=2", new[] { "db", "team/" })]
    [InlineData("?after=b", new[] { "db", "team/", "z/" })]
    [InlineData("?limit=1", new[] { "api" })]
    [InlineData("?limit=0", new[] { "api", "db", "team/", "z/" })]
    public async Task ListMetadata_AfterAndLimit_PageThroughSortedKeys(string query, string[] keys)
    {
        var reply = await _client.SendAsync(List, "/v1/secret/metadata/shop/" + query);

        Assert.Equal(keys, Keys(reply));
    }

    [Fact]
    public async Task ListMetadata_AfterTheLastKey_Is404()
    {
        var reply = await _client.SendAsync(List, "/v1/secret/metadata/shop/?after=z/");

        Assert.Equal(404, reply.Status);
    }

    [Fact]
    public async Task KvV1_DeleteOverHttpAndSeeding_RemoveChildren()
    {
        var delete = await _client.SendAsync(HttpMethod.Delete, "/v1/kv/shop/db");
        _emulator.DeleteKvV1("kv", "shop/api");
        var read = await _client.GetAsync("/v1/kv/shop/db");
        var listed = await _client.SendAsync(List, "/v1/kv/shop/");
        var again = await _client.SendAsync(HttpMethod.Delete, "/v1/kv/shop/db");

        Assert.Equal((204, ""), (delete.Status, delete.Body));
        Assert.Equal(404, read.Status);
        Assert.Equal(["team/", "z/"], Keys(listed));
        Assert.Equal(204, again.Status);
        Assert.Throws<InvalidOperationException>(() => _emulator.DeleteKvV1("kv", "shop/api"));
    }

    [Theory]
    [InlineData("false", 404)]
    [InlineData("0", 404)]
    [InlineData("maybe", 400)]
    public async Task ListFlag_FalseIsARead_UnparsableIs400(string flag, int status)
    {
        var reply = await _client.GetAsync("/v1/kv/shop/?list=" + flag);

        Assert.Equal(status, reply.Status);
        Assert.Equal("{\"errors\":[]}\n", reply.Body);
    }

    public static TheoryData<string, string, string, string, int> PolicyCases => new()
    {
        // rule path, capability, method, request path, status
        { "secret/metadata/shop/*", "list", "LIST", "/v1/secret/metadata/shop/", 200 },
        { "secret/metadata/shop/*", "list", "LIST", "/v1/secret/metadata/shop", 200 },
        { "secret/metadata/shop/*", "list", "GET", "/v1/secret/metadata/shop/?list=true", 200 },
        { "secret/metadata/shop/*", "list", "LIST", "/v1/secret/metadata/shop/team/", 200 },
        { "secret/metadata/shop/*", "list", "LIST", "/v1/secret/metadata/other/", 403 },
        { "secret/metadata/shop/*", "list", "GET", "/v1/secret/metadata/shop/db", 403 },
        { "secret/metadata/shop/*", "read", "LIST", "/v1/secret/metadata/shop/", 403 },
        { "secret/metadata/shop", "list", "LIST", "/v1/secret/metadata/shop/", 200 },
        { "secret/metadata/+", "list", "LIST", "/v1/secret/metadata/shop/", 200 },
        { "secret/metadata/", "list", "LIST", "/v1/secret/metadata", 200 },
        { "secret/data/shop/*", "list", "LIST", "/v1/secret/metadata/shop/", 403 },
        { "kv/shop/*", "list", "LIST", "/v1/kv/shop/", 200 },
        { "kv/shop/*", "read", "LIST", "/v1/kv/shop/", 403 },
        { "kv/shop/*", "read", "GET", "/v1/kv/shop/db", 200 },
    };

    [Theory]
    [MemberData(nameof(PolicyCases))]
    public async Task List_NeedsTheListCapability(string rulePath, string capability, string method, string path, int status)
    {
        await using var emulator = await Seed.StartAsync(policies: "lister");
        emulator.EnableKvV2();
        emulator.EnableKvV1();
        foreach (var secret in (string[])["shop/db", "shop/team/a", "other/x"])
        {
            emulator.PutKvV2("secret", secret, new Dictionary<string, object?> { ["v"] = "1" });
            emulator.PutKvV1("kv", secret, new Dictionary<string, object?> { ["v"] = "1" });
        }

        emulator.AddPolicy("lister", new PolicyRule(rulePath, capability));
        using var client = await Seed.LoginAsync(emulator);

        var reply = await client.SendAsync(new HttpMethod(method), path);

        Assert.Equal(status, reply.Status);
        if (status == 403)
        {
            Assert.Equal(["1 error occurred:\n\t* permission denied\n\n"], reply.Errors);
        }
    }

    [Fact]
    public async Task List_WithoutToken_IsPermissionDenied()
    {
        using var anonymous = new ApiClient(_emulator);

        var reply = await anonymous.SendAsync(List, "/v1/secret/metadata/shop/");

        Assert.Equal(403, reply.Status);
        Assert.Equal(["permission denied"], reply.Errors);
    }

    private static IReadOnlyList<string> Keys(ApiReply reply) =>
        [.. reply.Data.GetProperty("keys").EnumerateArray().Select(key => key.GetString()!)];
}
