using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Tests.Mounting;

public sealed class ObjectsParserTests
{
    private static SecretObject ParseOne(string yaml)
    {
        var problems = new List<string>();
        var objects = ObjectsParser.Parse(yaml, problems, []);
        Assert.Empty(problems);
        return Assert.Single(objects);
    }

    private static List<string> Problems(string yaml)
    {
        var problems = new List<string>();
        ObjectsParser.Parse(yaml, problems, []);
        return problems;
    }

    [Fact]
    public void Parse_SameYamlAgain_SameObjectsProblemsAndWarningsEachTime()
    {
        var yaml = $"- objectName: a\n  secretPath: secret/data/{Guid.NewGuid():N}\n  colour: blue\n- objectName: b\n";
        var (firstProblems, firstWarnings, secondProblems, secondWarnings) = (new List<string>(), new List<string>(), new List<string>(), new List<string>());

        var first = ObjectsParser.Parse(yaml, firstProblems, firstWarnings);
        var second = ObjectsParser.Parse(yaml, secondProblems, secondWarnings);

        Assert.Equal(first, second);
        Assert.NotEmpty(firstProblems);
        Assert.Equal(firstProblems, secondProblems);
        Assert.NotEmpty(firstWarnings);
        Assert.Equal(firstWarnings, secondWarnings);
    }

    [Fact]
    public void Parse_UnknownField_IsAWarningLikeGoYaml()
    {
        var problems = new List<string>();
        var warnings = new List<string>();

        var objects = ObjectsParser.Parse("- objectName: f\n  secretPath: p\n  secretkey: password", problems, warnings);

        Assert.Single(objects);
        Assert.Empty(problems);
        Assert.Equal("objects[0]: unknown field 'secretkey' is ignored (known: objectName, secretPath, secretKey, method, secretArgs, encoding, filePermission, leasePolicy, format, keys, pkcs12Password, template, render, versionHistory)", Assert.Single(warnings));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("reuse", false)]
    [InlineData("Reissue", true)]
    public void Parse_LeasePolicy_DefaultsToReuse(string? value, bool reissue)
    {
        var problems = new List<string>();
        var yaml = "- objectName: f\n  secretPath: database/creds/app" + (value is null ? "" : $"\n  leasePolicy: {value}");

        var secret = Assert.Single(ObjectsParser.Parse(yaml, problems, []));

        Assert.Empty(problems);
        Assert.Equal(reissue ? LeasePolicy.Reissue : LeasePolicy.Reuse, secret.LeasePolicy);
    }

    [Fact]
    public void Parse_UnknownLeasePolicy_NamesObjectAndChoices()
    {
        var problems = new List<string>();

        ObjectsParser.Parse("- objectName: db\n  secretPath: database/creds/app\n  leasePolicy: sometimes", problems, []);

        Assert.Equal("object 'db': leasePolicy 'sometimes' is not one of reuse, reissue", Assert.Single(problems));
    }

    [Theory]
    [InlineData("secret/data/app", "secret/data/app", null)]
    [InlineData("/secret/data/app", "secret/data/app", null)]
    [InlineData("v1/secret/data/app", "secret/data/app", null)]
    [InlineData("/v1/secret/data/app", "secret/data/app", null)]
    [InlineData("secret/data/app?version=3", "secret/data/app", "version=3")]
    [InlineData("/v1/pki/issue/web?a=1&b=2", "pki/issue/web", "a=1&b=2")]
    public void Parse_SecretPathSpellings_MeanTheSamePath(string secretPath, string path, string? query)
    {
        var secret = ParseOne($"- objectName: f\n  secretPath: \"{secretPath}\"");

        Assert.Equal(path, secret.SecretPath);
        Assert.Equal(query, secret.Query);
    }

    [Theory]
    [InlineData("0600", 384)]
    [InlineData("0o640", 416)]
    [InlineData("0440", 288)]
    [InlineData("420", 420)]
    [InlineData("0x1a4", 420)]
    [InlineData("0_640", 416)]
    [InlineData("\"0600\"", 384)]
    [InlineData("0", null)]
    public void Parse_FilePermission_ReadsOctalLikeGoYaml(string text, int? expected)
    {
        Assert.Equal(expected, ParseOne($"- objectName: f\n  secretPath: p\n  filePermission: {text}").FileMode);
    }

    /// <summary>The Go providers pass such a mode on and the driver's writer keeps only the permission bits.</summary>
    [Theory]
    [InlineData("01644", 420, "0644")]
    [InlineData("0100600", 384, "0600")]
    [InlineData("04755", 493, "0755")]
    [InlineData("01000", 0, "0000")]
    public void Parse_FilePermissionAbove0777_KeepsPermissionBitsAndWarns(string text, int expected, string written)
    {
        var problems = new List<string>();
        var warnings = new List<string>();

        var secret = Assert.Single(ObjectsParser.Parse($"- objectName: f\n  secretPath: p\n  filePermission: {text}", problems, warnings));

        Assert.Empty(problems);
        Assert.Equal(expected, secret.FileMode);
        Assert.Equal($"object 'f': filePermission '{text}' has bits above 0777, which the CSI driver drops; the file is written {written}", Assert.Single(warnings));
    }

    [Theory]
    [InlineData("utf-8", "Utf8")]
    [InlineData("UTF-8", "Utf8")]
    [InlineData("Base64", "Base64")]
    [InlineData("HEX", "Hex")]
    public void Parse_Encoding_IsCaseInsensitive(string text, string expected)
    {
        Assert.Equal(Enum.Parse<SecretEncoding>(expected), ParseOne($"- objectName: f\n  secretPath: p\n  encoding: {text}").Encoding);
    }

    [Theory]
    [InlineData("get", "GET")]
    [InlineData("PUT", "PUT")]
    [InlineData("post", "POST")]
    [InlineData("list", "LIST")]
    public void Parse_Method_IsNormalised(string text, string expected)
    {
        Assert.Equal(expected, ParseOne($"- objectName: f\n  secretPath: p\n  method: {text}").Method);
    }

    [Fact]
    public void Parse_SecretArgsMapping_BecomesTypedJson()
    {
        var secret = ParseOne("""
            - objectName: cert
              secretPath: pki/issue/web
              method: PUT
              secretArgs:
                common_name: web.example.com
                ttl: 24h
                exclude_cn_from_sans: true
                max_path_length: 3
                quoted: "3"
                alt_names: [a.example.com, b.example.com]
                mode: 0600
                mask: 0x1F
                negative: -7
                version: 1.5
                empty: ~
            """);

        Assert.Equal(
            """{"common_name":"web.example.com","ttl":"24h","exclude_cn_from_sans":true,"max_path_length":3,"quoted":"3","alt_names":["a.example.com","b.example.com"],"mode":384,"mask":31,"negative":-7,"version":1.5,"empty":null}""",
            secret.SecretArgs);
    }

    [Fact]
    public void Parse_SecretArgsScalars_TypedAsGoYamlTypesThem()
    {
        var secret = ParseOne("""
            - objectName: cert
              secretPath: pki/issue/web
              method: PUT
              secretArgs:
                tagged: !!str 123
                nonspecific: ! 0x1F
                binary: 0b101
                grouped: 1_000
                nulled: !!null ""
            """);

        Assert.Equal("""{"tagged":"123","nonspecific":"0x1F","binary":5,"grouped":1000,"nulled":null}""", secret.SecretArgs);
    }

    [Theory]
    [InlineData("~")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("!!null")]
    public void Parse_NullFields_AreUnsetAsInGo(string nothing)
    {
        var secret = ParseOne($"""
            - objectName: db
              secretPath: secret/data/db
              secretKey: {nothing}
              method: {nothing}
              encoding: {nothing}
              secretArgs: {nothing}
            """);

        Assert.Null(secret.SecretKey);
        Assert.Equal("GET", secret.Method);
        Assert.Null(secret.SecretArgs);
    }

    [Fact]
    public void Parse_QuotedNullWord_IsTheStringNull()
    {
        var secret = ParseOne("- objectName: db\n  secretPath: secret/data/db\n  secretKey: \"null\"");

        Assert.Equal("null", secret.SecretKey);
    }

    [Fact]
    public void Parse_SecretArgsAsJsonString_IsAccepted()
    {
        var secret = ParseOne("- objectName: f\n  secretPath: transit/decrypt/k\n  method: POST\n  secretArgs: '{\"ciphertext\": \"vault:v1:abc\"}'");

        Assert.Equal("""{"ciphertext": "vault:v1:abc"}""", secret.SecretArgs);
    }

    [Fact]
    public void Parse_FlowStyleJsonList_IsAccepted()
    {
        var secret = ParseOne("""[{"objectName": "f", "secretPath": "secret/data/a", "secretKey": "k"}]""");

        Assert.Equal("k", secret.SecretKey);
    }

    [Theory]
    [InlineData("sub/dir/file")]
    [InlineData("tls.crt")]
    [InlineData("sub/..not-first")]
    public void ObjectNameProblem_SafeRelativeNames_AreFine(string name)
    {
        Assert.Null(ObjectsParser.ObjectNameProblem(name));
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../escape")]
    [InlineData("a/../../b")]
    [InlineData("a/..")]
    [InlineData("a//b")]
    [InlineData("./a")]
    [InlineData("a/")]
    // The driver's atomic writer keeps its own entries under '..'-prefixed names.
    [InlineData("..data")]
    [InlineData("..2026_12_01/file")]
    public void ObjectNameProblem_EscapingNames_AreRejected(string name)
    {
        Assert.NotNull(ObjectsParser.ObjectNameProblem(name));
    }

    [Fact]
    public void ObjectNameProblem_BeyondTheDriversLengths_SaysWhichLimit()
    {
        Assert.Null(ObjectsParser.ObjectNameProblem(new string('a', 255)));
        Assert.Contains("an element of 256 bytes", ObjectsParser.ObjectNameProblem("dir/" + new string('a', 256)), StringComparison.Ordinal);
        // Bytes, as Go counts them: 128 two-byte letters are 256.
        Assert.Contains("an element of 256 bytes", ObjectsParser.ObjectNameProblem(new string('é', 128)), StringComparison.Ordinal);
        Assert.Contains("longer than 4096 bytes", ObjectsParser.ObjectNameProblem(string.Join('/', Enumerable.Repeat(new string('a', 200), 21))), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ObjectUnderAnotherObjectsFile_NamesBoth()
    {
        var problems = Problems("- objectName: tls\n  secretPath: p\n- objectName: tls/key\n  secretPath: p\n- objectName: tls/key/pem\n  secretPath: p");

        Assert.Contains("objectName 'tls/key' needs a folder 'tls' where another object puts a file", problems);
        Assert.Contains("objectName 'tls/key/pem' needs a folder 'tls' where another object puts a file", problems);
    }

    [Theory]
    // Only templates read an unrendered object; a folder or version history writes a folder at its name.
    [InlineData("- objectName: db\n  secretPath: p\n  render: false\n- objectName: db/url\n  secretPath: p")]
    [InlineData("- objectName: config\n  secretPath: secret/data/shop/config/*\n- objectName: config/extra\n  secretPath: p")]
    public void Parse_ObjectUnderAnObjectThatWritesNoFileThere_IsFine(string yaml)
    {
        Assert.Empty(Problems(yaml));
    }

    [Fact]
    public void Parse_EveryObjectUnrendered_SaysNothingWouldBeWritten()
    {
        var problems = Problems("- objectName: a\n  secretPath: p\n  render: false\n- objectName: b\n  secretPath: p\n  render: false");

        Assert.Contains("every object has render: false, so nothing would be written; the driver needs at least one file", problems);
    }

    [Theory]
    [InlineData("- objectName: f\n  secretPath: p\n  method: DELETE", "object 'f': method 'DELETE' is not one of GET, POST, PUT, LIST")]
    [InlineData("- objectName: f\n  secretPath: p\n  encoding: base32", "object 'f': encoding 'base32' is not one of utf-8, base64, hex")]
    [InlineData("- objectName: f\n  secretPath: p\n  filePermission: 0999", "object 'f': filePermission '0999'")]
    [InlineData("- objectName: f\n  secretPath: p\n  filePermission: -0600", "object 'f': filePermission '-0600'")]
    [InlineData("- objectName: f\n  secretPath: p\n  filePermission: 0o40000000000", "object 'f': filePermission '0o40000000000'")]
    [InlineData("- objectName: f\n  secretPath: p\n  secretArgs: 5", "object 'f': secretArgs must be a mapping")]
    [InlineData("- objectName: [a]\n  secretPath: p", "objects[0]: objectName must be a single value")]
    [InlineData("- secretPath: p", "objects[0]: objectName is required")]
    [InlineData("- objectName: f", "object 'f': secretPath is required")]
    [InlineData("- objectName: f\n  secretPath: /v1/", "object 'f': secretPath is required")]
    [InlineData("- just-a-string", "objects[0] must be a mapping")]
    public void Parse_BadObject_NamesObjectAndField(string yaml, string expected)
    {
        Assert.Contains(Problems(yaml), p => p.Contains(expected, StringComparison.Ordinal));
    }

    /// <summary>Nine levels of ten aliases each: 10^9 nodes for any reader that expands them.</summary>
    internal static string BillionLaughs()
    {
        var yaml = new System.Text.StringBuilder("- objectName: lol\n  secretPath: p\n  secretArgs:\n    l0: &l0 lol\n");
        for (var level = 1; level <= 9; level++)
        {
            yaml.Append($"    l{level}: &l{level} [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 10))}]\n");
        }

        return yaml.ToString();
    }

    [Fact]
    public void Parse_BillionLaughs_RefusedNamingTheAlias()
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var problem = Assert.Single(Problems(BillionLaughs()));

        Assert.Equal("'objects' uses the YAML alias *l0 (line 5): aliases are not supported, write the value out", problem);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore, 0, 4 * 1024 * 1024);
    }

    [Fact]
    public void Parse_DeepNesting_RefusedBeforeTheRecursiveLoader()
    {
        var yaml = "- objectName: deep\n  secretPath: p\n  secretArgs: {a: " + new string('[', 100_000) + new string(']', 100_000) + "}";

        var problem = Assert.Single(Problems(yaml));

        Assert.StartsWith("'objects' is nested more than 32 levels deep", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AboveTheSizeLimit_Refused()
    {
        var yaml = string.Concat(Enumerable.Range(0, 10_000).Select(i => $"- objectName: file-{i}\n  secretPath: secret/data/app/{i}\n"));

        var problem = Assert.Single(Problems(yaml));

        Assert.Contains($"above the limit of {ObjectsParser.MaxYamlBytes}", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AnchorWithoutAlias_Accepted()
    {
        var parsed = ParseOne("- &first\n  objectName: f\n  secretPath: p");

        Assert.Equal("f", parsed.ObjectName);
    }

    [Theory]
    [InlineData("  format: toml", "format 'toml' is not one of json, yaml, env, pem-chain, pem-bundle, pkcs12")]
    [InlineData("  format: json\n  secretKey: password", "cannot be combined with secretKey")]
    [InlineData("  format: env\n  encoding: base64", "cannot be combined with encoding")]
    [InlineData("  keys: [a]", "keys applies only to format: json, yaml or env")]
    [InlineData("  format: pem-chain\n  keys: [a]", "keys applies only to format: json, yaml or env")]
    [InlineData("  format: json\n  keys: [a, a]", "each once")]
    [InlineData("  format: json\n  keys: {a: b}", "keys must be a list of key names")]
    [InlineData("  format: pem-bundle\n  pkcs12Password: x", "pkcs12Password applies only to format: pkcs12")]
    public void Parse_InvalidFormatCombination_ProblemNamingObjectAndField(string fields, string problem)
    {
        var problems = Problems("- objectName: f\n  secretPath: pki/issue/web\n" + fields);

        Assert.Contains(problems, p => p.StartsWith("object 'f': ", StringComparison.Ordinal) && p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_FormatWithKeysAndPassword_Kept()
    {
        var env = ParseOne("- objectName: f\n  secretPath: secret/data/app\n  format: ENV\n  keys: [B, A]");
        var p12 = ParseOne("- objectName: g\n  secretPath: pki/issue/web\n  method: POST\n  format: pkcs12\n  pkcs12Password: changeit");

        Assert.Equal("env", env.Format);
        Assert.Equal(["B", "A"], env.Keys);
        Assert.Equal("changeit", p12.Pkcs12Password);
        Assert.DoesNotContain("changeit", p12.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  secretPath: kv/app\n  versionHistory: 3", "versionHistory needs a KV v2 secret")]
    [InlineData("  secretPath: secret/data/app?version=2\n  versionHistory: 3", "versionHistory needs a KV v2 secret")]
    [InlineData("  secretPath: secret/data/app\n  versionHistory: 0", "versionHistory must be a number from 1 to 20")]
    [InlineData("  secretPath: secret/data/app\n  versionHistory: 21", "versionHistory must be a number from 1 to 20")]
    [InlineData("  secretPath: secret/data/app/*\n  versionHistory: 2", "versionHistory needs a KV v2 secret")]
    [InlineData("  secretPath: secret/data/app/*\n  method: POST", "a folder (secretPath ending in /*)")]
    [InlineData("  secretPath: secret/data/app/*\n  secretArgs: {a: b}", "a folder (secretPath ending in /*)")]
    public void Parse_InvalidFolderOrHistory_ProblemNamingObjectAndField(string fields, string problem)
    {
        var problems = Problems("- objectName: f\n" + fields);

        Assert.Contains(problems, p => p.StartsWith("object 'f': ", StringComparison.Ordinal) && p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_FolderAndHistory_Kept()
    {
        var folder = ParseOne("- objectName: config\n  secretPath: /v1/secret/data/shop/config/*");
        var history = ParseOne("- objectName: key\n  secretPath: secret/data/shop/signing\n  versionHistory: 3");

        Assert.True(folder.Folder);
        Assert.Equal("secret/data/shop/config", folder.SecretPath);
        Assert.Equal(3, history.VersionHistory);
        Assert.True(history.Expands);
    }
}
