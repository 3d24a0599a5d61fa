using System.Text.RegularExpressions;

namespace OpenBao.Emulator.Tests;

public sealed partial class NamespaceTests : IAsyncLifetime
{
    private OpenBaoEmulator _emulator = null!;

    public async Task InitializeAsync()
    {
        _emulator = await OpenBaoEmulator.StartAsync();
        _emulator.AddNamespace("team-a");
        _emulator.AddNamespace("team-b");
        foreach (var ns in (string?[])[null, "team-a", "team-b"])
        {
            _emulator.EnableKvV2(ns: ns);
            _emulator.PutKvV2("secret", "app", new Dictionary<string, object?> { ["owner"] = ns ?? "root" }, ns);
            _emulator.EnableKubernetesAuth(ns: ns);
            _emulator.AddKubernetesRole("kubernetes", "app", new KubernetesRole(["app"], ["shop"], ["reader"], TimeSpan.FromHours(1), Audience: "openbao"), ns);
            _emulator.AddPolicy("reader", [new PolicyRule("secret/data/*", "read")], ns);
        }
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task UnknownNamespace_Is404NamespaceNotFound()
    {
        using var client = new ApiClient(_emulator) { Token = _emulator.RootToken, Namespace = "team-z" };

        var reply = await client.GetAsync("/v1/secret/data/app");

        Assert.Equal(404, reply.Status);
        Assert.Equal(["namespace not found"], reply.Errors);
    }

    [Fact]
    public async Task LockedNamespace_Is503NamingTheOutermostLockedAndComesBeforeASeal()
    {
        _emulator.AddNamespace("team-a/inner");
        _emulator.EnableKvV2(ns: "team-a/inner");
        _emulator.LockNamespace("team-a");
        _emulator.SealNamespace("team-a/inner");
        using var inner = new ApiClient(_emulator) { Token = _emulator.RootToken, Namespace = "team-a/inner" };
        using var other = new ApiClient(_emulator) { Token = _emulator.RootToken, Namespace = "team-b" };

        var locked = await inner.GetAsync("/v1/secret/data/app");
        _emulator.LockNamespace("team-a", locked: false);
        var sealedInner = await inner.GetAsync("/v1/secret/data/app");
        var elsewhere = await other.GetAsync("/v1/secret/data/app");

        Assert.Equal(503, locked.Status);
        Assert.Equal(["API access to this namespace has been locked by an administrator - \"team-a/\" must be unlocked to gain access."], locked.Errors);
        Assert.Equal(503, sealedInner.Status);
        Assert.Equal(["namespace is sealed"], sealedInner.Errors);
        Assert.Equal(200, elsewhere.Status);
    }

    [Fact]
    public async Task SealedNamespace_RefusesLoginsToo()
    {
        _emulator.SealNamespace("team-b");
        using var client = new ApiClient(_emulator) { Namespace = "team-b" };

        var reply = await client.PostAsync("/v1/auth/kubernetes/login", new { role = "app", jwt = _emulator.Issuer.Mint("shop", "app", ["openbao"], TimeSpan.FromMinutes(5)) });

        Assert.Equal(503, reply.Status);
        Assert.Equal(["namespace is sealed"], reply.Errors);
    }

    [Theory]
    [InlineData("team-a", "/v1/secret/data/app", "team-a")]
    [InlineData("/team-a/", "/v1/secret/data/app", "team-a")]
    [InlineData(null, "/v1/team-b/secret/data/app", "team-b")]
    [InlineData("root", "/v1/secret/data/app", "root")]
    public async Task RootToken_ReadsEachNamespacesOwnMount(string? header, string path, string owner)
    {
        using var client = new ApiClient(_emulator) { Token = _emulator.RootToken, Namespace = header };

        var reply = await client.GetAsync(path);

        Assert.Equal(owner, reply.Data.GetProperty("data").GetProperty("owner").GetString());
    }

    [Fact]
    public async Task Login_InNamespace_TokenAndAccessorCarryNamespaceId()
    {
        using var client = new ApiClient(_emulator) { Namespace = "team-a" };

        var auth = (await client.LoginAsync("app", Seed.AppJwt(_emulator))).Json.GetProperty("auth");
        var lookup = await client.GetAsync("/v1/auth/token/lookup-self");

        var token = auth.GetProperty("client_token").GetString()!;
        var namespaceId = token.Split('.')[2];
        Assert.Matches(NamespaceTokenPattern(), token);
        Assert.EndsWith("." + namespaceId, auth.GetProperty("accessor").GetString(), StringComparison.Ordinal);
        Assert.Equal("team-a/", lookup.Data.GetProperty("namespace_path").GetString());
        Assert.Equal("team-a", (await client.GetAsync("/v1/secret/data/app")).Data.GetProperty("data").GetProperty("owner").GetString());
    }

    [Theory]
    [InlineData("team-b")]
    [InlineData(null)]
    public async Task NamespaceToken_ElsewhereIsDeniedByPolicy(string? otherNamespace)
    {
        using var client = new ApiClient(_emulator) { Namespace = "team-a" };
        await client.LoginAsync("app", Seed.AppJwt(_emulator));
        client.Namespace = otherNamespace;

        var reply = await client.GetAsync("/v1/secret/data/app");

        Assert.Equal(403, reply.Status);
        Assert.Equal(["1 error occurred:\n\t* permission denied\n\n"], reply.Errors);
    }

    [Fact]
    public void Seeding_UnknownNamespace_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => _emulator.EnableKvV2(ns: "nowhere"));
    }

    [GeneratedRegex("^s\\.[0-9A-Za-z]{24}\\.[0-9A-Za-z]{6}$")]
    private static partial Regex NamespaceTokenPattern();
}
