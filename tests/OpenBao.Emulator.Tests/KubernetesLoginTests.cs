namespace OpenBao.Emulator.Tests;

public sealed class KubernetesLoginTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new();
    private OpenBaoEmulator _emulator = null!;

    public async Task InitializeAsync()
    {
        _emulator = await Seed.StartAsync(new EmulatorOptions { TimeProvider = _clock }, "reader");
        _emulator.AddKubernetesRole("kubernetes", "aud", new KubernetesRole(["app"], ["shop"], [], TimeSpan.Zero, Audience: "vault"));
        _emulator.AddKubernetesRole("kubernetes", "wild", new KubernetesRole(["*"], ["sh*"], [], TimeSpan.FromMinutes(5), Audience: "openbao"));
        _emulator.AddKubernetesRole("kubernetes", "no-aud", new KubernetesRole(["app"], ["shop"], [], TimeSpan.FromMinutes(5)));
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    public static TheoryData<string, int, string> Failures => new()
    {
        { "missing-role", 400, "missing role" },
        { "missing-jwt", 400, "missing jwt" },
        { "unknown-role", 400, "invalid role name \"nope\"" },
        { "wrong-service-account", 403, "service account name not authorized" },
        { "wrong-namespace", 403, "namespace not authorized" },
        { "wrong-audience", 403, "invalid audience (aud) claim: audience claim does not match any expected audience" },
        { "expired", 403, "invalid expiration time (exp) claim: token is expired" },
        { "foreign-signature", 403, "permission denied" },
        { "malformed", 403, "permission denied" },
        // OpenBao validates the JWT's claims (audience, times) before the bound names, and asks the cluster last.
        { "wrong-audience-and-service-account", 403, "invalid audience (aud) claim: audience claim does not match any expected audience" },
        { "foreign-signature-and-namespace", 403, "namespace not authorized" },
        { "foreign-signature-expired", 403, "invalid expiration time (exp) claim: token is expired" },
        { "token-review-fails", 403, "permission denied" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Login_Failure_HasOpenBaoStatusAndMessage(string scenario, int status, string message)
    {
        using var client = new ApiClient(_emulator);
        var issuer = _emulator.Issuer;
        object body = scenario switch
        {
            "missing-role" => new { jwt = Seed.AppJwt(_emulator) },
            "missing-jwt" => new { role = "app" },
            "unknown-role" => new { role = "nope", jwt = Seed.AppJwt(_emulator) },
            "wrong-service-account" => new { role = "app", jwt = issuer.Mint("shop", "other", Seed.OpenBaoAudience, TimeSpan.FromMinutes(5)) },
            "wrong-namespace" => new { role = "app", jwt = issuer.Mint("billing", "app", Seed.OpenBaoAudience, TimeSpan.FromMinutes(5)) },
            "wrong-audience" => new { role = "aud", jwt = Seed.AppJwt(_emulator) },
            "expired" => new { role = "app", jwt = issuer.MintExpired("shop", "app", Seed.OpenBaoAudience) },
            "foreign-signature" => new { role = "app", jwt = new ServiceAccountTokenIssuer(_clock).Mint("shop", "app", Seed.OpenBaoAudience, TimeSpan.FromMinutes(5)) },
            "malformed" => new { role = "app", jwt = "not-a-jwt" },
            "wrong-audience-and-service-account" => new { role = "aud", jwt = issuer.Mint("shop", "other", Seed.OpenBaoAudience, TimeSpan.FromMinutes(5)) },
            "foreign-signature-and-namespace" => new { role = "app", jwt = new ServiceAccountTokenIssuer(_clock).Mint("billing", "app", Seed.OpenBaoAudience, TimeSpan.FromMinutes(5)) },
            "foreign-signature-expired" => new { role = "app", jwt = new ServiceAccountTokenIssuer(_clock).MintExpired("shop", "app", Seed.OpenBaoAudience) },
            "token-review-fails" => new { role = "app", jwt = Seed.AppJwt(_emulator) },
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };

        _emulator.KubernetesTokenReviewsFail = scenario == "token-review-fails";
        var reply = await client.PostAsync("/v1/auth/kubernetes/login", body);

        Assert.Equal(status, reply.Status);
        Assert.Equal([message], reply.Errors);
    }

    [Fact]
    public async Task Login_ForeignClusterKey_AcceptedOnlyOnceTrusted()
    {
        using var client = new ApiClient(_emulator);
        var foreign = new ServiceAccountTokenIssuer(_clock);
        var jwt = foreign.Mint("shop", "app", Seed.OpenBaoAudience, TimeSpan.FromMinutes(5));

        var before = await client.PostAsync("/v1/auth/kubernetes/login", new { role = "app", jwt });
        _emulator.TrustKubernetesSigningKey(foreign.PublicKeyPem);
        var after = await client.PostAsync("/v1/auth/kubernetes/login", new { role = "app", jwt });

        Assert.Equal(403, before.Status);
        Assert.Equal(200, after.Status);
    }

    [Fact]
    public async Task Login_Success_ReturnsMetadataOfTheServiceAccount()
    {
        using var client = new ApiClient(_emulator);

        var reply = await client.LoginAsync("app", Seed.AppJwt(_emulator));

        var metadata = reply.Json.GetProperty("auth").GetProperty("metadata");
        Assert.Equal(
            ["role", "service_account_name", "service_account_namespace", "service_account_secret_name", "service_account_uid"],
            metadata.EnumerateObject().Select(property => property.Name));
        Assert.Equal("app", metadata.GetProperty("role").GetString());
        Assert.Equal("app", metadata.GetProperty("service_account_name").GetString());
        Assert.Equal("shop", metadata.GetProperty("service_account_namespace").GetString());
        Assert.Equal("", metadata.GetProperty("service_account_secret_name").GetString());
        Assert.Equal(ServiceAccountTokenIssuer.ServiceAccountUid("shop", "app"), metadata.GetProperty("service_account_uid").GetString());
    }

    [Fact]
    public async Task Login_SameServiceAccountTwice_SameEntityDifferentTokens()
    {
        using var client = new ApiClient(_emulator);

        var first = (await client.LoginAsync("app", Seed.AppJwt(_emulator))).Json.GetProperty("auth");
        var second = (await client.LoginAsync("app", Seed.AppJwt(_emulator))).Json.GetProperty("auth");

        Assert.Equal(first.GetProperty("entity_id").GetString(), second.GetProperty("entity_id").GetString());
        Assert.NotEqual(first.GetProperty("client_token").GetString(), second.GetProperty("client_token").GetString());
    }

    [Fact]
    public async Task Login_WildcardRole_AcceptsAnyNameInMatchingNamespaces()
    {
        using var client = new ApiClient(_emulator);

        var reply = await client.LoginAsync("wild", _emulator.Issuer.Mint("shipping", "worker", Seed.OpenBaoAudience, TimeSpan.FromMinutes(5)));

        Assert.Equal(300, reply.Json.GetProperty("auth").GetProperty("lease_duration").GetInt32());
    }

    [Fact]
    public async Task Login_RoleNameInAnotherCase_FindsTheRole()
    {
        using var client = new ApiClient(_emulator);

        var reply = await client.LoginAsync("WiLd", _emulator.Issuer.Mint("shipping", "worker", Seed.OpenBaoAudience, TimeSpan.FromMinutes(5)));

        Assert.Equal(300, reply.Json.GetProperty("auth").GetProperty("lease_duration").GetInt32());
    }

    [Theory]
    [InlineData(59, 200)]
    [InlineData(61, 403)]
    public async Task Login_JustPastExpiry_HonoursSixtySecondLeeway(int secondsPastExpiry, int status)
    {
        using var client = new ApiClient(_emulator);
        var jwt = _emulator.Issuer.Mint("shop", "app", Seed.OpenBaoAudience, TimeSpan.FromMinutes(1));
        _clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(secondsPastExpiry));

        var reply = await client.PostAsync("/v1/auth/kubernetes/login", new { role = "app", jwt });

        Assert.Equal(status, reply.Status);
    }

    [Fact]
    public async Task Login_RoleWithoutAudience_AcceptsATokenForAnyAudience()
    {
        using var client = new ApiClient(_emulator);

        // OpenBao's TokenReview then asks for the token's own audiences, which the API server always confirms.
        var forTheApi = await client.PostAsync("/v1/auth/kubernetes/login", new { role = "no-aud", jwt = _emulator.Issuer.Mint("shop", "app", [_emulator.Issuer.Issuer], TimeSpan.FromMinutes(5)) });
        var forOpenBao = await client.PostAsync("/v1/auth/kubernetes/login", new { role = "no-aud", jwt = _emulator.Issuer.Mint("shop", "app", Seed.OpenBaoAudience, TimeSpan.FromMinutes(5)) });

        Assert.Equal(200, forTheApi.Status);
        Assert.Equal(200, forOpenBao.Status);
    }

    [Fact]
    public async Task Login_ZeroRoleTtl_GetsMountDefault()
    {
        using var client = new ApiClient(_emulator);

        var reply = await client.LoginAsync("aud", _emulator.Issuer.Mint("shop", "app", ["vault"], TimeSpan.FromMinutes(5)));

        Assert.Equal(2764800, reply.Json.GetProperty("auth").GetProperty("lease_duration").GetInt32());
    }
}
