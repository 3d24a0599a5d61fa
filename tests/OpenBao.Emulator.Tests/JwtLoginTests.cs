namespace OpenBao.Emulator.Tests;

public sealed class JwtLoginTests : IAsyncLifetime
{
    private OpenBaoEmulator _emulator = null!;

    public async Task InitializeAsync()
    {
        _emulator = await OpenBaoEmulator.StartAsync();
        _emulator.EnableJwtAuth();
        var boundNamespace = new Dictionary<string, string> { ["/kubernetes.io/namespace"] = "shop" };
        _emulator.AddJwtRole("jwt", "ci", new JwtRole(["openbao"], "sub", ["reader"], TimeSpan.FromMinutes(20), "system:serviceaccount:shop:app", boundNamespace));
        _emulator.AddJwtRole("jwt", "billing", new JwtRole(["openbao"], "sub", [], TimeSpan.Zero, BoundClaims: new Dictionary<string, string> { ["/kubernetes.io/namespace"] = "billing" }));
        _emulator.AddJwtRole("jwt", "no-audience", new JwtRole([], "sub", [], TimeSpan.Zero));
        _emulator.AddJwtRole("jwt", "email", new JwtRole(["openbao"], "email", [], TimeSpan.Zero));
        _emulator.AddJwtRole("jwt", "browser", new JwtRole(["openbao"], "sub", [], TimeSpan.Zero, RoleType: "oidc"));
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    public static TheoryData<string, string> Failures => new()
    {
        { "missing-role", "missing role" },
        { "unknown-role", "role \"nope\" could not be found" },
        { "missing-jwt", "missing token" },
        { "foreign-signature", "error validating token: error verifying token signature: no known key successfully validated the token signature" },
        { "malformed", "error validating token: error verifying token signature: go-jose/go-jose: compact JWS format must have three parts" },
        { "wrong-subject", "error validating token: invalid subject (sub) claim" },
        { "wrong-audience", "error validating token: invalid audience (aud) claim: audience claim does not match any expected audience" },
        { "expired", "error validating token: invalid expiration time (exp) claim: token is expired" },
        { "bound-claim-mismatch", "error validating claims: claim \"/kubernetes.io/namespace\" does not match any associated bound claim values" },
        { "no-bound-audiences", "audience claim found in JWT but no audiences bound to the role" },
        { "user-claim-missing", "claim \"email\" not found in token" },
        { "oidc-role", "role with oidc role_type is not allowed" },
        // The role type is checked before the token is.
        { "oidc-role-without-jwt", "role with oidc role_type is not allowed" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Login_Failure_Is400WithValidatorMessage(string scenario, string message)
    {
        using var client = new ApiClient(_emulator);
        var issuer = _emulator.Issuer;
        var good = issuer.Mint("shop", "app", Seed.OpenBaoAudience, TimeSpan.FromMinutes(5));
        object body = scenario switch
        {
            "missing-role" => new { jwt = good },
            "unknown-role" => new { role = "nope", jwt = good },
            "missing-jwt" => new { role = "ci" },
            "foreign-signature" => new { role = "ci", jwt = new ServiceAccountTokenIssuer().Mint("shop", "app", Seed.OpenBaoAudience, TimeSpan.FromMinutes(5)) },
            "malformed" => new { role = "ci", jwt = "abc" },
            "wrong-subject" => new { role = "ci", jwt = issuer.Mint("shop", "other", Seed.OpenBaoAudience, TimeSpan.FromMinutes(5)) },
            "wrong-audience" => new { role = "ci", jwt = issuer.Mint("shop", "app", ["vault"], TimeSpan.FromMinutes(5)) },
            "expired" => new { role = "ci", jwt = issuer.MintExpired("shop", "app", Seed.OpenBaoAudience) },
            "bound-claim-mismatch" => new { role = "billing", jwt = good },
            "no-bound-audiences" => new { role = "no-audience", jwt = good },
            "user-claim-missing" => new { role = "email", jwt = good },
            "oidc-role" => new { role = "browser", jwt = good },
            "oidc-role-without-jwt" => new { role = "browser" },
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };

        var reply = await client.PostAsync("/v1/auth/jwt/login", body);

        Assert.Equal(400, reply.Status);
        Assert.Equal([message], reply.Errors);
    }

    [Fact]
    public async Task Login_Success_MetadataIsRoleAndRoleNameIsCaseInsensitive()
    {
        using var client = new ApiClient(_emulator);

        var reply = await client.LoginAsync("CI", _emulator.Issuer.Mint("shop", "app", Seed.OpenBaoAudience, TimeSpan.FromMinutes(5)), mount: "jwt");

        var auth = reply.Json.GetProperty("auth");
        Assert.Equal("{\"role\":\"ci\"}", auth.GetProperty("metadata").GetRawText());
        Assert.Equal(["default", "reader"], auth.GetProperty("policies").EnumerateArray().Select(policy => policy.GetString()));
        Assert.Equal(1200, auth.GetProperty("lease_duration").GetInt32());
        var lookup = await client.GetAsync("/v1/auth/token/lookup-self");
        Assert.Equal("jwt-system:serviceaccount:shop:app", lookup.Data.GetProperty("display_name").GetString());
        Assert.Equal("auth/jwt/login", lookup.Data.GetProperty("path").GetString());
    }
}
