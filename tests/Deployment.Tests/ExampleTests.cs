using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenBao.Csi.Provider.Deployment.Tests.Support;

namespace OpenBao.Csi.Provider.Deployment.Tests;

/// <summary>Every YAML under deploy/ parses, and every SecretProviderClass would mount.</summary>
public sealed partial class ExampleTests
{
    private static readonly string[] Methods = ["GET", "POST", "PUT"];
    private static readonly string[] Encodings = ["utf-8", "base64", "hex"];

    // What the driver sends as `permission` when nothing is configured: 0644.
    private static readonly long DriverDefaultMode = Convert.ToInt64("644", 8);

    /// <summary>Kubernetes objects: deploy/prometheus holds Prometheus' own files, which PrometheusRulesTests reads.</summary>
    public static TheoryData<string> YamlFiles() =>
        [.. Repo.Files("deploy", "*.yaml").Select(Repo.Relative).Where(f => !f.StartsWith("deploy/prometheus/", StringComparison.Ordinal))];

    public static TheoryData<string, string> SecretProviderClasses()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Repo.Files("deploy", "*.yaml"))
        {
            foreach (var doc in Yaml.LoadDocuments(file).Where(d => d.Kind() == "SecretProviderClass"))
            {
                data.Add(Repo.Relative(file), doc.Name());
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void YamlFile_ParsesIntoNamedObjects(string file)
    {
        var documents = Yaml.LoadDocuments(Repo.Path(file));

        Assert.NotEmpty(documents);
        Assert.All(documents, d =>
        {
            Assert.NotNull(d.Find("apiVersion"));
            Assert.NotEmpty(d.Kind());
            Assert.NotEmpty(d.Name());
        });
    }

    [Theory]
    [MemberData(nameof(SecretProviderClasses))]
    public void SecretProviderClass_NamesOpenbaoARoleAndValidObjects(string file, string name)
    {
        var spc = Load(file, name);
        var objects = Objects(spc);

        Assert.Equal("openbao", spc.Str("spec", "provider"));
        Assert.NotEmpty(spc.Str("spec", "parameters", "roleName"));
        Assert.NotEmpty(objects);
        var names = objects.Select(o => o.Str("objectName")).ToList();
        Assert.Equal(names.Distinct().Count(), names.Count);
        foreach (var obj in objects)
        {
            var objectName = obj.Str("objectName");
            Assert.DoesNotContain("/", objectName, StringComparison.Ordinal);
            Assert.False(objectName.StartsWith("..", StringComparison.Ordinal), objectName);
            Assert.NotEmpty(obj.Str("secretPath"));
            var method = obj.Find("method")?.GetValue<string>() ?? "GET";
            Assert.Contains(method, Methods);
            Assert.Contains(obj.Find("encoding")?.GetValue<string>()?.ToLowerInvariant() ?? "utf-8", Encodings);
            if (obj.Find("secretArgs") is { } args)
            {
                Assert.IsType<JsonObject>(args);
                Assert.NotEqual("GET", method);
            }

            if (obj.Find("filePermission") is { } mode)
            {
                Assert.InRange(mode.GetValue<long>(), 1, Convert.ToInt64("777", 8));
            }
        }
    }

    [Theory]
    [MemberData(nameof(SecretProviderClasses))]
    public void SecretProviderClass_ObjectsSharingAPathAndMethod_SendTheSameArgs(string file, string name)
    {
        // Different bodies would be two requests: a certificate and a key from two different issues.
        var groups = Objects(Load(file, name))
            .GroupBy(o => (o.Str("secretPath"), o.Find("method")?.GetValue<string>() ?? "GET"));

        foreach (var group in groups)
        {
            var bodies = group.Select(o => o.Find("secretArgs")?.ToJsonString() ?? "").Distinct();
            Assert.Single(bodies);
        }
    }

    [Fact]
    public void Examples_CoverEveryDocumentedUse()
    {
        var classes = ExampleDocuments().Where(d => d.Kind() == "SecretProviderClass").ToList();
        var objects = classes.SelectMany(Objects).ToList();

        Assert.Contains(objects, o => o.Str("secretPath").StartsWith("secret/data/", StringComparison.Ordinal));
        var database = objects.Where(o => o.Str("secretPath").StartsWith("database/creds/", StringComparison.Ordinal)).ToList();
        Assert.Equal(["password", "username"], database.Select(o => o.Str("secretKey")).Order(StringComparer.Ordinal));
        Assert.Single(database.Select(o => o.Str("secretPath")).Distinct());
        var pki = objects.Where(o => o.Str("secretPath").StartsWith("pki/issue/", StringComparison.Ordinal)).ToList();
        Assert.All(pki, o => Assert.Equal("PUT", o.Str("method")));
        Assert.All(pki, o => Assert.NotNull(o.Find("secretArgs", "common_name")));
        Assert.Contains(pki, o => o.Find("secretKey") is null);
        Assert.Contains(pki, o => o.Find("secretKey")?.GetValue<string>() == "private_key");
        Assert.Contains(objects, o =>
            o.Str("secretPath").StartsWith("transit/decrypt/", StringComparison.Ordinal)
            && o.Str("method") == "POST"
            && o.Find("secretArgs", "ciphertext") is not null
            && o.Str("secretKey") == "plaintext"
            && o.Str("encoding") == "base64");
        Assert.Contains(classes, c => c.Find("spec", "parameters", "baoAuthMountPath")?.GetValue<string>() == "jwt");
        Assert.Contains(classes, c => c.Find("spec", "parameters", "baoNamespace") is not null);
    }

    [Fact]
    public void ExamplePods_UseClassesAndServiceAccountsThatExist()
    {
        var documents = Repo.Files("deploy", "*.yaml").SelectMany(Yaml.LoadDocuments).ToList();
        var named = documents.Select(d => (d.Kind(), d.Namespace(), d.Name())).ToHashSet();
        var pods = documents.Where(d => d.Kind() == "Pod" && d.Namespace() == "team-a").ToList();

        Assert.NotEmpty(pods);
        foreach (var pod in pods)
        {
            var ns = pod.Namespace();
            Assert.Contains(("ServiceAccount", ns, pod.Str("spec", "serviceAccountName")), named);
            foreach (var volume in pod.Objects("spec", "volumes").Where(v => v.Find("csi") is not null))
            {
                Assert.Equal("secrets-store.csi.k8s.io", volume.Str("csi", "driver"));
                Assert.Contains(("SecretProviderClass", ns, volume.Str("csi", "volumeAttributes", "secretProviderClass")), named);
            }
        }
    }

    [Fact]
    public void ExamplePods_CanReadEveryFileTheirClassesWrite()
    {
        // The driver writes each file as root:root with the mode the provider returns (the object's
        // filePermission, else the driver's 0644) and never applies fsGroup to this read-only
        // volume. A non-root container reads a file through its "other" read bit, or through the
        // group bit when it runs with group 0.
        var documents = ExampleDocuments().ToList();
        var pods = documents.Where(d => d.Kind() == "Pod").ToList();

        Assert.NotEmpty(pods);
        foreach (var pod in pods)
        {
            foreach (var container in pod.Objects("spec", "containers"))
            {
                var who = $"{pod.Name()}/{container.Str("name")}";
                var uid = Effective(pod, container, "runAsUser");
                Assert.True(uid is > 0, $"{who} should run as a non-root UID, as the restricted namespace requires");
                var groupZero = Effective(pod, container, "runAsGroup") == 0
                    || (pod.Find("spec", "securityContext", "supplementalGroups") as JsonArray)?.Any(g => g!.GetValue<long>() == 0) == true;
                var readBit = groupZero ? Convert.ToInt64("044", 8) : Convert.ToInt64("004", 8);

                foreach (var volume in pod.Objects("spec", "volumes").Where(v => v.Find("csi") is not null))
                {
                    var spc = documents.Single(d =>
                        d.Kind() == "SecretProviderClass" && d.Namespace() == pod.Namespace()
                        && d.Name() == volume.Str("csi", "volumeAttributes", "secretProviderClass"));
                    foreach (var obj in Objects(spc))
                    {
                        var mode = obj.Find("filePermission")?.GetValue<long>() ?? DriverDefaultMode;
                        Assert.True(
                            (mode & readBit) != 0,
                            $"{who} cannot read {obj.Str("objectName")} of {spc.Name()}: mode {Convert.ToString(mode, 8)} owned by root:root");
                    }
                }
            }
        }
    }

    [Fact]
    public void ExampleRoles_AreAllCreatedBySetupScript()
    {
        var script = File.ReadAllText(Repo.Path("deploy", "examples", "openbao-setup.sh"));
        var created = RoleInScript().Matches(script).Select(m => m.Groups["name"].Value).ToHashSet();
        var used = Repo.Files("deploy", "*.yaml")
            .SelectMany(Yaml.LoadDocuments)
            .Where(d => d.Kind() == "SecretProviderClass")
            .Select(d => d.Str("spec", "parameters", "roleName"));

        Assert.All(used, role => Assert.Contains(role, created));
    }

    [Fact]
    public void CsiDriverExample_RequestsOpenbaoTokensAndRepublish()
    {
        var driver = Assert.Single(Yaml.LoadDocuments(Repo.Path("deploy", "examples", "csidriver-tokenrequests.yaml")));

        Assert.Equal(("CSIDriver", "secrets-store.csi.k8s.io"), (driver.Kind(), driver.Name()));
        Assert.Equal("openbao", Assert.Single(driver.Objects("spec", "tokenRequests")).Str("audience"));
        Assert.True(driver.At("spec", "requiresRepublish").GetValue<bool>());
    }

    /// <summary>A container's security setting, else the pod's; null when neither sets it.</summary>
    private static long? Effective(JsonObject pod, JsonObject container, string field) =>
        (container.Find("securityContext", field) ?? pod.Find("spec", "securityContext", field))?.GetValue<long>();

    private static IEnumerable<JsonObject> ExampleDocuments() =>
        Repo.Files(Path.Combine("deploy", "examples"), "*.yaml").SelectMany(Yaml.LoadDocuments);

    private static JsonObject Load(string file, string name) =>
        Yaml.LoadDocuments(Repo.Path(file)).Single(d => d.Kind() == "SecretProviderClass" && d.Name() == name);

    /// <summary>`objects` is a YAML document inside a string, as the driver passes it on.</summary>
    private static List<JsonObject> Objects(JsonObject spc)
    {
        var list = Assert.IsType<JsonArray>(Yaml.Parse(spc.Str("spec", "parameters", "objects")));
        return [.. list.Select(o => Assert.IsType<JsonObject>(o))];
    }

    [GeneratedRegex(@"(kubernetes_role|auth/jwt/role/)\s*(?<name>[a-z0-9-]+)")]
    private static partial Regex RoleInScript();
}
