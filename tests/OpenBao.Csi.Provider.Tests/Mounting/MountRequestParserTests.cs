using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Tests.Mounting;

public sealed class MountRequestParserTests
{
    [Fact]
    public void Parse_CapturedDriverRequest_ReadsEverything()
    {
        var attributes = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "mount-request-attributes.json"));

        var mount = MountRequestParser.Parse(attributes, "420");

        Assert.Equal("app", mount.RoleName);
        Assert.Equal("https://openbao.openbao:8200", mount.OpenBao.Address);
        Assert.Equal(new PodIdentity("shop", "app", "app-7d9f8", "5c0e6b1a-2f43-4f7e-9a7c-0b8d1e6f4a21"), mount.Pod);
        Assert.Equal(420, mount.DefaultFileMode);
        Assert.Equal("app-secrets", mount.SecretProviderClass);
        var token = Assert.Single(mount.DriverTokens);
        Assert.Equal("openbao", token.Key);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 19, 0, 0, TimeSpan.Zero), token.Value.ExpiresAt);
        var secret = Assert.Single(mount.Objects);
        Assert.Equal(new SecretObject("db-password", "secret/data/shop/db", null, "password", "GET", null, SecretEncoding.Utf8, null), secret);
    }

    [Theory]
    [InlineData("baoAddress", "https://bao:8200")]
    [InlineData("openbaoAddress", "https://bao:8200")]
    [InlineData("vaultAddress", "https://bao:8200")]
    public void Parse_AnyConnectionPrefix_IsAccepted(string key, string value)
    {
        var mount = MountRequestParser.Parse(Attributes.Valid((key, value)), "420");

        Assert.Equal(value, mount.OpenBao.Address);
    }

    [Fact]
    public void Parse_ObjectsIndentedFromTheFirstLine_ReadAsTheGoProvidersReadThem()
    {
        // A quoted string or a block scalar with an indentation indicator (|2) keeps the indentation its author gave the list.
        const string indented = "  - objectName: db\n    secretPath: secret/data/db\n    secretKey: password\n";

        var mount = MountRequestParser.Parse(Attributes.Valid(("objects", indented)), "420");

        var only = Assert.Single(mount.Objects);
        Assert.Equal(("db", "secret/data/db", "password"), (only.ObjectName, only.SecretPath, only.SecretKey));
    }

    [Fact]
    public void Parse_AgentUnixSocketAddress_IsAccepted()
    {
        var mount = MountRequestParser.Parse(Attributes.Valid(("vaultAddress", "unix:///var/run/vault/agent.sock")), "420");

        Assert.Equal("unix:///var/run/vault/agent.sock", mount.OpenBao.Address);
    }

    [Fact]
    public void Parse_SeveralPrefixes_BaoBeatsOpenBaoBeatsVault()
    {
        var all = MountRequestParser.Parse(
            Attributes.Valid(("vaultNamespace", "v"), ("openbaoNamespace", "o"), ("baoNamespace", "b")), "420");
        var two = MountRequestParser.Parse(Attributes.Valid(("vaultNamespace", "v"), ("openbaoNamespace", "o")), "420");

        Assert.Equal("b", all.OpenBao.Namespace);
        Assert.Equal("o", two.OpenBao.Namespace);
    }

    [Fact]
    public void Parse_PrefixedRoleName_WinsOverPlain()
    {
        var mount = MountRequestParser.Parse(Attributes.Valid(("vaultRoleName", "prefixed")), "420");

        Assert.Equal("prefixed", mount.RoleName);
    }

    [Theory]
    [InlineData("vaultKubernetesMountPath", "/k8s-cluster-2/", "k8s-cluster-2")]
    [InlineData("baoAuthMountPath", "jwt", "jwt")]
    public void Parse_AuthMount_IsTrimmed(string key, string value, string expected)
    {
        var mount = MountRequestParser.Parse(Attributes.Valid((key, value)), "420");

        Assert.Equal(expected, mount.OpenBao.AuthMount);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData("False", false)]
    public void Parse_SkipTlsVerify_ParsesGoBooleans(string value, bool expected)
    {
        var mount = MountRequestParser.Parse(Attributes.Valid(("vaultSkipTLSVerify", value)), "420");

        Assert.Equal(expected, mount.OpenBao.SkipVerify);
    }

    [Fact]
    public void Parse_TlsKeys_AreRead()
    {
        var mount = MountRequestParser.Parse(
            Attributes.Valid(
                ("baoCACertPath", "/ca.pem"),
                ("baoCADirectory", "/cas"),
                ("baoTLSServerName", "bao.internal"),
                ("baoTLSClientCertPath", "/c.pem"),
                ("baoTLSClientKeyPath", "/k.pem")),
            "420");

        Assert.Equal(new OpenBaoOverrides(null, null, null, "/ca.pem", "/cas", "bao.internal", "/c.pem", "/k.pem", null), mount.OpenBao);
    }

    [Theory]
    [InlineData("", 420)]
    [InlineData("384", 384)]
    [InlineData("0", 0)]
    public void Parse_Permission_IsDecimal(string permission, int expected)
    {
        Assert.Equal(expected, MountRequestParser.Parse(Attributes.Valid(), permission).DefaultFileMode);
    }

    public static TheoryData<string, string, string> InvalidRequests => new()
    {
        { Attributes.Json(new Dictionary<string, string> { ["objects"] = Attributes.TwoObjects }), "420", "missing 'roleName'" },
        { Attributes.Json(new Dictionary<string, string> { ["roleName"] = "app" }), "420", "missing 'objects'" },
        { Attributes.Json(new Dictionary<string, string> { ["roleName"] = "app", ["objects"] = "" }), "420", "missing 'objects'" },
        { Attributes.Json(new Dictionary<string, string> { ["roleName"] = "app", ["objects"] = "[]" }), "420", "'objects' is empty" },
        { Attributes.Json(new Dictionary<string, string> { ["roleName"] = "app", ["objects"] = "objectName: x" }), "420", "must be a YAML list" },
        { Attributes.Json(new Dictionary<string, string> { ["roleName"] = "app", ["objects"] = "- objectName: [x\n  bad" }), "420", "not valid YAML" },
        // YamlDotNet throws ArgumentException, not YamlException, for a tag that is not a URI (found by HostileInputTests).
        { Attributes.Json(new Dictionary<string, string> { ["roleName"] = "app", ["objects"] = "- !!bin[ry objectName: x\n  secretPat!tag :[ secret/data/kv1\n" }), "420", "'objects' is not valid YAML (line 1, column 3): Global tags must be valid URIs" },
        { Attributes.Json(new Dictionary<string, string> { ["roleName"] = "app", ["objects"] = "- objectName: pw\n  secretPath: [unclosed\n  secretKey: k\n" }), "420", "'objects' is not valid YAML (line 2, column 15): the YAML parser cannot go on after this point" },
        { Attributes.Valid(("baoKubernetesMountPath", "a"), ("baoAuthMountPath", "b")), "420", "set only one of 'baoKubernetesMountPath' and 'baoAuthMountPath'" },
        { Attributes.Valid(("vaultKubernetesMountPath", "a"), ("openbaoAuthMountPath", "b")), "420", "set only one of" },
        { Attributes.Valid(("baoAddress", "openbao:8200")), "420", "'baoAddress' must be an http://, https:// or unix:// URL" },
        { Attributes.Valid(("vaultSkipTLSVerify", "yes")), "420", "'vaultSkipTLSVerify' must be true or false" },
        { Attributes.Valid(), "0644", "permission '0644' is not a file mode" },
        { Attributes.Valid(), "1000", "permission '1000'" },
        { Attributes.Valid(("csi.storage.k8s.io/serviceAccount.tokens", "not json")), "420", "'csi.storage.k8s.io/serviceAccount.tokens' is not valid JSON" },
        { Attributes.Valid(("csi.storage.k8s.io/serviceAccount.tokens", """{"openbao":{}}""")), "420", "entry for audience 'openbao' has no token" },
        { Attributes.Json(new Dictionary<string, string> { ["roleName"] = "app", ["objects"] = Attributes.TwoObjects }, withPod: false), "420", "missing 'csi.storage.k8s.io/pod.namespace'" },
        { "not json", "420", "attributes are not valid JSON" },
        { "[]", "420", "attributes must be a JSON object" },
        { "", "420", "attributes are empty" },
        { """{"roleName": 3}""", "420", "parameter 'roleName' must be a string" },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public void Parse_InvalidRequest_NamesTheProblem(string attributes, string permission, string expected)
    {
        var error = Assert.Throws<InvalidMountRequestException>(() => MountRequestParser.Parse(attributes, permission));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ManyProblems_AreAllReported()
    {
        var objects = """
            - objectName: a
              secretPath: p
            - objectName: a
              secretPath: q
            - objectName: ../escape
              secretPath: r
            - objectName: b
            """;
        var attributes = Attributes.Json(new Dictionary<string, string> { ["objects"] = objects, ["baoSkipTLSVerify"] = "maybe" });

        var error = Assert.Throws<InvalidMountRequestException>(() => MountRequestParser.Parse(attributes, "abc"));

        Assert.Equal(6, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.Contains("roleName", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("objectName 'a' is used by 2 objects", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("object '../escape': objectName", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("object 'b': secretPath is required", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("baoSkipTLSVerify", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("permission 'abc'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not json", "?/?")]
    [InlineData("""{"csi.storage.k8s.io/pod.namespace":"shop","csi.storage.k8s.io/pod.name":"app-1","secretProviderClass":"db"}""", "shop/app-1 (SecretProviderClass db)")]
    public void Identify_AnyRequest_NamesWhatItCan(string attributes, string expected)
    {
        Assert.Equal(expected, MountRequestParser.Identify(MountAttributes.Read(attributes)).Describe());
    }
}
