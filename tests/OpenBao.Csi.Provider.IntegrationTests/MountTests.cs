using Csi.Driver.Emulator;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using OpenBao.Csi.Provider.IntegrationTests.Infrastructure;
using OpenBao.Csi.Provider.V1Alpha1;
using OpenBao.Emulator;

namespace OpenBao.Csi.Provider.IntegrationTests;

/// <summary>What the Go provider's end-to-end suite checks, over a real socket against the emulator.</summary>
[Collection(ProviderCollection.Name)]
public sealed class MountTests(ProviderFixture fixture)
{
    private const string LoginPath = "/v1/auth/kubernetes/login";

    private static string Text(MountResponse response, string path) =>
        Encoding.UTF8.GetString(response.Files.Single(f => f.Path == path).Contents.Span);

    private static int Mode(MountResponse response, string path) => response.Files.Single(f => f.Path == path).Mode;

    [Fact]
    public async Task Version_ReportsApiAndSemver()
    {
        var response = await fixture.Provider.Client.VersionAsync(new VersionRequest { Version = "v1alpha1" });

        Assert.Equal("v1alpha1", response.Version);
        Assert.Equal("openbao-csi-provider", response.RuntimeName);
        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$", response.RuntimeVersion);
    }

    [Fact]
    public async Task RotationPoll_AsDriverV15sReconcilerSendsIt_SameFilesAndVersions()
    {
        var mount = fixture.ShopMount(ProviderFixture.PasswordObject);
        var first = await fixture.Provider.Client.MountAsync(mount.ToRequest());

        var poll = await fixture.Provider.Client.MountAsync(mount.ToRotationReconcilerRequest(first.ObjectVersion));

        Assert.Equal(first.ObjectVersion, poll.ObjectVersion);
        Assert.Equal(first.Files, poll.Files);
    }

    [Fact]
    public async Task Mount_KvV2Inline_FilesWithModesAndVersions()
    {
        var mount = fixture.ShopMount("""
            - objectName: secret-1
              secretPath: secret/data/shop/db
              secretKey: password
              filePermission: 0600
            - objectName: secret-2
              secretPath: /v1/secret/data/shop/db
              secretKey: username
            """);

        var response = await fixture.MountAsync(mount);

        Assert.Equal(fixture.DbPassword, Text(response, "secret-1"));
        Assert.Equal(Convert.ToInt32("600", 8), Mode(response, "secret-1"));
        Assert.Equal(fixture.DbUsername, Text(response, "secret-2"));
        Assert.Equal(Convert.ToInt32("644", 8), Mode(response, "secret-2"));
        Assert.Equal(["secret-1", "secret-2"], response.ObjectVersion.Select(v => v.Id));
        Assert.All(response.ObjectVersion, v => Assert.Matches("^[A-Za-z0-9_-]{43}$", v.Version));
        Assert.Null(response.Error);
    }

    [Fact]
    public async Task Mount_KvV1_ReadsStoredMap()
    {
        var response = await fixture.MountAsync(fixture.ShopMount("""
            - objectName: port
              secretPath: kv/shop/config
              secretKey: port
            """));

        Assert.Equal("8443", Text(response, "port"));
    }

    [Fact]
    public async Task Mount_CustomAudience_UsesThatToken()
    {
        var mount = fixture.ShopMount(ProviderFixture.PasswordObject)
            .WithParameter("roleName", "custom-aud")
            .WithParameter("audience", "custom");
        mount.Tokens["custom"] = fixture.Jwt(audience: "custom");

        var response = await fixture.MountAsync(mount);

        Assert.Equal(fixture.DbPassword, Text(response, "pw"));
    }

    [Fact]
    public async Task Mount_JwtAuthMount_LogsInThere()
    {
        fixture.Bao.ClearRequests();
        var mount = fixture.ShopMount(ProviderFixture.PasswordObject)
            .WithParameter("roleName", "app-jwt")
            .WithParameter("baoAuthMountPath", "jwt");

        var response = await fixture.MountAsync(mount);

        Assert.Equal(fixture.DbPassword, Text(response, "pw"));
        Assert.Equal(1, fixture.Bao.CountRequests("POST", "/v1/auth/jwt/login"));
        Assert.Equal(0, fixture.Bao.CountRequests("POST", LoginPath));
    }

    [Fact]
    public async Task Mount_Namespace_SendsHeaderForLoginAndReads()
    {
        fixture.Bao.ClearRequests();
        var mount = fixture.ShopMount("- objectName: token\n  secretPath: secret/data/team/api\n  secretKey: token")
            .WithParameter("vaultNamespace", ProviderFixture.TeamNamespace);

        var response = await fixture.MountAsync(mount);

        Assert.StartsWith("team-", Text(response, "token"), StringComparison.Ordinal);
        Assert.All(fixture.Bao.Requests, r => Assert.Equal(ProviderFixture.TeamNamespace, r.Namespace));
    }

    [Fact]
    public async Task Mount_PkiPutWithArgsAndNoSecretKey_WholeJsonWithParseableCertificate()
    {
        var response = await fixture.MountAsync(fixture.ShopMount("""
            - objectName: web.json
              secretPath: pki/issue/web
              method: PUT
              secretArgs:
                common_name: shop.example.com
                ttl: 1h
            """));

        using var document = JsonDocument.Parse(response.Files.Single().Contents.ToByteArray());
        var data = document.RootElement.GetProperty("data");
        using var certificate = X509Certificate2.CreateFromPem(data.GetProperty("certificate").GetString());
        Assert.Contains("CN=shop.example.com", certificate.Subject, StringComparison.Ordinal);
        Assert.Contains("PRIVATE KEY", data.GetProperty("private_key").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mount_OpenBaoWarning_IsLoggedAndMountSucceeds()
    {
        var response = await fixture.MountAsync(fixture.ShopMount("""
            - objectName: tls.crt
              secretPath: pki/issue/web
              method: PUT
              secretArgs: {common_name: long.example.com, ttl: 100000h}
              secretKey: certificate
            """));

        Assert.Single(response.Files);
        Assert.Contains(fixture.Logs.Lines, line => line.Contains("OpenBao warned about PUT pki/issue/web", StringComparison.Ordinal)
            && line.Contains("is longer than permitted maxTTL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mount_PkiCertificateAndKeyFromOneRead_Match()
    {
        fixture.Bao.ClearRequests();
        var response = await fixture.MountAsync(fixture.ShopMount("""
            - objectName: tls.crt
              secretPath: pki/issue/web
              method: PUT
              secretArgs: {common_name: api.example.com}
              secretKey: certificate
            - objectName: tls.key
              secretPath: pki/issue/web
              method: PUT
              secretArgs: {common_name: api.example.com}
              secretKey: private_key
            """));

        using var pair = X509Certificate2.CreateFromPem(Text(response, "tls.crt"), Text(response, "tls.key"));
        Assert.True(pair.HasPrivateKey);
        Assert.Equal(1, fixture.Bao.CountRequests("PUT", "/v1/pki/issue/web"));
    }

    [Fact]
    public async Task Mount_DynamicCredentialsForTwoObjects_ReadOnce()
    {
        fixture.Bao.ClearRequests();
        var response = await fixture.MountAsync(fixture.ShopMount("""
            - objectName: db-user
              secretPath: database/creds/shop-db
              secretKey: username
            - objectName: db-pass
              secretPath: database/creds/shop-db
              secretKey: password
            """));

        Assert.Equal(1, fixture.Bao.CountRequests("GET", "/v1/database/creds/shop-db"));
        Assert.NotEmpty(Text(response, "db-user"));
        Assert.NotEmpty(Text(response, "db-pass"));
        fixture.Witness.Remember(Text(response, "db-pass"));
    }

    [Fact]
    public async Task Mount_QueryInSecretPath_ReadsThatVersion()
    {
        var first = fixture.NewSecret("v1-");
        var version = fixture.Bao.PutKvV2("secret", "shop/versioned", new Dictionary<string, object?> { ["value"] = first });
        fixture.Bao.PutKvV2("secret", "shop/versioned", new Dictionary<string, object?> { ["value"] = fixture.NewSecret("v2-") });

        var response = await fixture.MountAsync(fixture.ShopMount($"- objectName: old\n  secretPath: secret/data/shop/versioned?version={version}\n  secretKey: value"));

        Assert.Equal(first, Text(response, "old"));
    }

    [Fact]
    public async Task Mount_Base64AndHexEncodings_AreDecoded()
    {
        var binary = new byte[] { 0, 1, 2, 250, 251, 255 };
        fixture.Bao.PutKvV2("secret", "shop/binary", new Dictionary<string, object?> { ["b64"] = Convert.ToBase64String(binary), ["hex"] = Convert.ToHexString(binary) });

        var response = await fixture.MountAsync(fixture.ShopMount("""
            - objectName: from-base64
              secretPath: secret/data/shop/binary
              secretKey: b64
              encoding: base64
            - objectName: from-hex
              secretPath: secret/data/shop/binary
              secretKey: hex
              encoding: HEX
            """));

        Assert.Equal(binary, response.Files.Single(f => f.Path == "from-base64").Contents.ToByteArray());
        Assert.Equal(binary, response.Files.Single(f => f.Path == "from-hex").Contents.ToByteArray());
    }

    [Fact]
    public async Task Mount_TransitDecrypt_WritesPlaintext()
    {
        var plaintext = fixture.NewSecret("envelope-");
        var ciphertext = fixture.Bao.TransitEncrypt("shop", Encoding.UTF8.GetBytes(plaintext));

        var response = await fixture.MountAsync(fixture.ShopMount($"""
            - objectName: data-key
              secretPath: transit/decrypt/shop
              method: POST
              secretArgs:
                ciphertext: "{ciphertext}"
              secretKey: plaintext
              encoding: base64
            """));

        Assert.Equal(plaintext, Text(response, "data-key"));
    }

    [Fact]
    public async Task Mount_OtherTenantsPath_PermissionDeniedAndNothingReturned()
    {
        fixture.Bao.ClearRequests();
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.MountAsync(fixture.ShopMount("""
            - objectName: mine
              secretPath: secret/data/shop/db
              secretKey: password
            - objectName: theirs
              secretPath: secret/data/bank/vault
              secretKey: gold
            """)));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("object 'theirs'", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("permission denied", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(1, fixture.Bao.CountRequests("POST", LoginPath));
    }

    [Fact]
    public async Task Mount_UnknownObjectField_MountsAndLogsAWarning()
    {
        var response = await fixture.MountAsync(fixture.ShopMount("- objectName: pw\n  secretPath: secret/data/shop/db\n  secretKey: password\n  vaultOnlyField: x"));

        Assert.Equal(fixture.DbPassword, Text(response, "pw"));
        Assert.Contains(fixture.Logs.Lines, line => line.Contains("unknown field 'vaultOnlyField' is ignored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mount_UnknownObjectField_WarnedOncePerRequestNotOnEveryPoll()
    {
        const string Objects = "- objectName: pw\n  secretPath: secret/data/shop/db\n  secretKey: password\n  pollOnlyField: x";
        int Warnings() => fixture.Logs.Lines.Count(line => line.Contains("unknown field 'pollOnlyField' is ignored", StringComparison.Ordinal));
        var mount = fixture.ShopMount(Objects);

        await fixture.MountAsync(mount);
        await fixture.MountAsync(mount);
        Assert.Equal(1, Warnings());

        // Another pod's request (its own token) is read anew, and warned about.
        await fixture.MountAsync(fixture.ShopMount(Objects));
        Assert.Equal(2, Warnings());
    }

    [Fact]
    public async Task Mount_OpenBaoAgentOnUnixSocket_IsReachedThroughIt()
    {
        var socket = Path.Combine(Directory.CreateTempSubdirectory("openbao-agent-").FullName, "agent.sock");
        await using var agent = await OpenBaoEmulator.StartAsync(new EmulatorOptions { UnixSocketPath = socket });
        agent.EnableKvV2("secret");
        agent.PutKvV2("secret", "shop/db", new Dictionary<string, object?> { ["password"] = fixture.DbPassword });
        agent.AddPolicy("shop-read", new PolicyRule("secret/data/shop/*", "read"));
        agent.EnableKubernetesAuth();
        agent.AddKubernetesRole("kubernetes", ProviderFixture.ShopRole, new KubernetesRole(["app"], ["shop"], ["shop-read"], TimeSpan.FromMinutes(20), Audience: "openbao"));

        var response = await fixture.MountAsync(
            fixture.ShopMount(ProviderFixture.PasswordObject).WithParameter("vaultAddress", $"unix://{socket}"));

        Assert.Equal(fixture.DbPassword, Text(response, "pw"));
        Assert.Equal(1, agent.CountRequests("GET", "/v1/secret/data/shop/db"));
    }

    [Fact]
    public async Task Mount_RepeatedPolls_LogInOnce()
    {
        fixture.Bao.ClearRequests();
        var mount = fixture.ShopMount(ProviderFixture.PasswordObject);

        for (var poll = 0; poll < 5; poll++)
        {
            await fixture.MountAsync(mount);
        }

        Assert.Equal(1, fixture.Bao.CountRequests("POST", LoginPath));
        Assert.Equal(5, fixture.Bao.CountRequests("GET", "/v1/secret/data/shop/db"));
    }

    [Fact]
    public async Task Mount_ConcurrentMountsOfOnePod_LogInOnce()
    {
        fixture.Bao.ClearRequests();
        var mount = fixture.ShopMount(ProviderFixture.PasswordObject);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => fixture.MountAsync(mount)));

        Assert.Equal(1, fixture.Bao.CountRequests("POST", LoginPath));
    }

    [Fact]
    public async Task Mount_DifferentPods_DoNotShareTokens()
    {
        fixture.Bao.ClearRequests();

        await fixture.MountAsync(fixture.ShopMount(ProviderFixture.PasswordObject));
        await fixture.MountAsync(fixture.ShopMount(ProviderFixture.PasswordObject));

        Assert.Equal(2, fixture.Bao.CountRequests("POST", LoginPath));
    }

    [Fact]
    public async Task Mount_OnePodTwoNamespacesOrMounts_OneTokenEach()
    {
        fixture.Bao.ClearRequests();
        var root = fixture.ShopMount(ProviderFixture.PasswordObject);
        DriverMount SamePod(string role, string objects, string key, string value)
        {
            var mount = new DriverMount { PodUid = root.PodUid }.WithParameter("roleName", role).WithParameter("objects", objects).WithParameter(key, value);
            mount.Tokens["openbao"] = root.Tokens["openbao"];
            return mount;
        }

        var team = SamePod(ProviderFixture.ShopRole, "- objectName: token\n  secretPath: secret/data/team/api\n  secretKey: token", "baoNamespace", ProviderFixture.TeamNamespace);
        var viaJwt = SamePod("app-jwt", ProviderFixture.PasswordObject, "baoAuthMountPath", "jwt");

        for (var poll = 0; poll < 2; poll++)
        {
            await fixture.MountAsync(root);
            await fixture.MountAsync(team);
            await fixture.MountAsync(viaJwt);
        }

        Assert.Equal(2, fixture.Bao.CountRequests("POST", LoginPath));
        Assert.Equal(1, fixture.Bao.CountRequests("POST", "/v1/auth/jwt/login"));
    }

    [Fact]
    public async Task Mount_CachedTokenExpiredInOpenBao_ReplacedTransparently()
    {
        var mount = fixture.ShopMount(ProviderFixture.PasswordObject);
        await fixture.MountAsync(mount);
        fixture.Bao.ClearRequests();

        // OpenBao's clock passes the token's TTL while the provider still holds the token.
        fixture.Clock.Advance(TimeSpan.FromMinutes(25));
        mount.Tokens["openbao"] = fixture.Jwt();
        var response = await fixture.MountAsync(mount);

        Assert.Equal(fixture.DbPassword, Text(response, "pw"));
        Assert.Equal(1, fixture.Bao.CountRequests("POST", LoginPath));
        Assert.Equal(2, fixture.Bao.CountRequests("GET", "/v1/secret/data/shop/db"));
    }

    [Fact]
    public async Task Mount_RevokedToken_ReplacedTransparently()
    {
        var mount = fixture.ShopMount(ProviderFixture.PasswordObject);
        await fixture.MountAsync(mount);

        fixture.Bao.RevokeAllTokens();
        var response = await fixture.MountAsync(mount);

        Assert.Equal(fixture.DbPassword, Text(response, "pw"));
    }

    [Fact]
    public async Task Mount_Versions_StableAcrossPollsAndChangeWithSecret()
    {
        fixture.Bao.PutKvV2("secret", "shop/rotating", new Dictionary<string, object?> { ["value"] = fixture.NewSecret("r1-") });
        var mount = fixture.ShopMount("""
            - objectName: rotating
              secretPath: secret/data/shop/rotating
              secretKey: value
            - objectName: steady
              secretPath: secret/data/shop/db
              secretKey: password
            """);

        var first = await fixture.MountAsync(mount);
        var second = await fixture.MountAsync(mount);
        fixture.Bao.PutKvV2("secret", "shop/rotating", new Dictionary<string, object?> { ["value"] = fixture.NewSecret("r2-") });
        var third = await fixture.MountAsync(mount);

        Assert.Equal(first.ObjectVersion, second.ObjectVersion);
        Assert.NotEqual(first.ObjectVersion[0].Version, third.ObjectVersion[0].Version);
        Assert.Equal(first.ObjectVersion[1], third.ObjectVersion[1]);
    }

    [Fact]
    public async Task Mount_SoftDeletedVersion_NotFoundSaysDeleted()
    {
        var version = fixture.Bao.PutKvV2("secret", "shop/deleted", new Dictionary<string, object?> { ["value"] = fixture.NewSecret() });
        fixture.Bao.DeleteKvV2Version("secret", "shop/deleted", version);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.MountAsync(fixture.ShopMount("- objectName: gone\n  secretPath: secret/data/shop/deleted\n  secretKey: value")));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains($"version {version} of this secret was deleted", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mount_MissingKey_NotFoundNamingKey()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.MountAsync(fixture.ShopMount("- objectName: pw\n  secretPath: secret/data/shop/db\n  secretKey: nope")));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("key 'nope' does not exist", error.Status.Detail, StringComparison.Ordinal);
    }

    public static TheoryData<string, StatusCode, string> LoginRefusals => new()
    {
        { "unbound-account", StatusCode.PermissionDenied, "service account name not authorized" },
        { "unbound-namespace", StatusCode.PermissionDenied, "namespace not authorized" },
        { "unknown-role", StatusCode.FailedPrecondition, "invalid role name \"no-such-role\"" },
        { "expired", StatusCode.Unauthenticated, "token is expired" },
        { "wrong-audience", StatusCode.Unauthenticated, "invalid audience (aud) claim" },
        // Kubernetes auth checks the claims, then asks the cluster (TokenReview), which rejects a forged token.
        { "forged", StatusCode.PermissionDenied, "permission denied (HTTP 403); OpenBao says only this when its TokenReview fails" },
        { "forged-elsewhere", StatusCode.PermissionDenied, "namespace not authorized" },
        { "token-review-fails", StatusCode.PermissionDenied, "its reviewer needs system:auth-delegator" },
    };

    [Theory]
    [MemberData(nameof(LoginRefusals))]
    public async Task Mount_LoginRefused_CodeSaysWhoseProblemWithOpenBaoReason(string refusal, StatusCode code, string reason)
    {
        var (role, @namespace, serviceAccount) = refusal switch
        {
            "unknown-role" => ("no-such-role", "shop", "app"),
            "unbound-account" => (ProviderFixture.ShopRole, "shop", "intruder"),
            "unbound-namespace" or "forged-elsewhere" => (ProviderFixture.ShopRole, "elsewhere", "app"),
            "wrong-audience" => ("custom-aud", "shop", "app"),
            _ => (ProviderFixture.ShopRole, "shop", "app"),
        };
        var mount = new DriverMount { Namespace = @namespace, ServiceAccount = serviceAccount }
            .WithParameter("roleName", role)
            .WithParameter("objects", ProviderFixture.PasswordObject);
        mount.Tokens["openbao"] = refusal switch
        {
            "expired" => fixture.Witness.Remember(fixture.Bao.Issuer.Mint(@namespace, serviceAccount, ["openbao"], TimeSpan.FromMinutes(-5))),
            "forged" or "forged-elsewhere" => fixture.Jwt(@namespace, serviceAccount)[..^4] + "AAAA",
            _ => fixture.Jwt(@namespace, serviceAccount),
        };

        fixture.Bao.KubernetesTokenReviewsFail = refusal == "token-review-fails";
        RpcException error;
        try
        {
            error = await Assert.ThrowsAsync<RpcException>(() => fixture.MountAsync(mount));
        }
        finally
        {
            fixture.Bao.KubernetesTokenReviewsFail = false;
        }

        Assert.Equal(code, error.StatusCode);
        Assert.Contains(reason, error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains($"role '{role}'", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mount_NoTokenForAudience_ExplainsTokenRequests()
    {
        var mount = fixture.ShopMount(ProviderFixture.PasswordObject);
        mount.Tokens.Clear();

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.MountAsync(mount));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("tokenRequests", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("'openbao'", error.Status.Detail, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> InvalidSecretProviderClasses => new()
    {
        { "roleName", "", "missing 'roleName'" },
        { "objects", "", "missing 'objects'" },
        { "objects", "[]", "'objects' is empty" },
        { "objects", "- objectName: a\n  secretPath: p\n- objectName: a\n  secretPath: q", "objectName 'a' is used by 2 objects" },
        { "objects", "- objectName: ../../etc/passwd\n  secretPath: p", "object '../../etc/passwd': objectName" },
        { "objects", "- objectName: /abs\n  secretPath: p", "must be a relative file name" },
        { "objects", "- objectName: a\n  secretPath: p\n  method: DELETE", "method 'DELETE'" },
        { "objects", "- objectName: a\n  secretPath: p\n  encoding: rot13", "encoding 'rot13'" },
        { "objects", "- objectName: a", "object 'a': secretPath is required" },
        { "objects", "- objectName: a\n  secretPath: p\n  secretArgs:\n    x: &x [lol, lol]\n    y: [*x, *x, *x]", "uses the YAML alias *x (line 5)" },
        { "objects", "- objectName: a\n  secretPath: p\n  secretArgs: {x: " + new string('[', 5000) + new string(']', 5000) + "}", "nested more than 32 levels" },
        { "objects", "- objectName: a\n  secretPath: p\n  filePermission: 0888", "filePermission '0888'" },
        { "baoKubernetesMountPath", "kubernetes", "set only one of 'baoKubernetesMountPath' and 'baoAuthMountPath'" },
        { "baoAddress", "not a url", "'baoAddress' must be an http://, https:// or unix:// URL" },
        { "vaultFailoverAddress", "bao-dr:8200", "'vaultFailoverAddress' must be an http://, https:// or unix:// URL" },
        { "baoSkipTLSVerify", "sometimes", "'baoSkipTLSVerify' must be true or false" },
    };

    [Theory]
    [MemberData(nameof(InvalidSecretProviderClasses))]
    public async Task Mount_InvalidSecretProviderClass_InvalidArgumentNamingField(string key, string value, string expected)
    {
        var mount = fixture.ShopMount(ProviderFixture.PasswordObject)
            .WithParameter("baoAuthMountPath", "kubernetes");
        if (key != "baoKubernetesMountPath")
        {
            mount.Parameters.Remove("baoAuthMountPath");
        }

        mount.WithParameter(key, value);

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.MountAsync(mount));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(expected, error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0644")]
    [InlineData("-1")]
    [InlineData("rw-r--r--")]
    public async Task Mount_BadPermission_InvalidArgument(string permission)
    {
        var mount = new DriverMount { Permission = permission }
            .WithParameter("roleName", ProviderFixture.ShopRole)
            .WithParameter("objects", ProviderFixture.PasswordObject);

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.MountAsync(mount));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains($"permission '{permission}'", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mount_ResponseAboveTheConfiguredLimit_ResourceExhaustedNamingIt()
    {
        fixture.Bao.PutKvV2("secret", "shop/large", new Dictionary<string, object?> { ["blob"] = new string('x', 1536 * 1024) });
        await using var provider = await ProviderProcess.StartAsync(fixture.Logs, options =>
        {
            options.OpenBaoAddress = fixture.Bao.Address;
            options.MaxMountResponseBytes = 1024 * 1024;
        });

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await provider.Client.MountAsync(fixture.ShopMount("- objectName: large\n  secretPath: secret/data/shop/large\n  secretKey: blob").ToRequest()));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("total 1.5 MiB, above the 1 MiB the CSI driver accepts (-max-mount-response-bytes", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mount_ResponseAboveDriverLimit_ResourceExhaustedNotTruncated()
    {
        fixture.Bao.PutKvV2("secret", "shop/huge", new Dictionary<string, object?> { ["blob"] = new string('x', 1536 * 1024) });
        var objects = string.Join('\n', Enumerable.Range(0, 3).Select(i => $"- objectName: part-{i}\n  secretPath: secret/data/shop/huge\n  secretKey: blob"));
        var mount = fixture.ShopMount(objects);
        var uid = mount.PodUid;

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.MountAsync(mount));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("above the 4 MiB the CSI driver accepts (-max-mount-response-bytes", error.Status.Detail, StringComparison.Ordinal);
        // One line for the mount, and it says what happened.
        var lines = fixture.Logs.Lines.Where(line => line.Contains($"(uid {uid},", StringComparison.Ordinal)).ToList();
        Assert.Contains("failed with ResourceExhausted", Assert.Single(lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mount_MalformedAttributes_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Provider.Client.MountAsync(new MountRequest { Attributes = "{not json", Permission = "420", Secrets = "{}" }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }
}
