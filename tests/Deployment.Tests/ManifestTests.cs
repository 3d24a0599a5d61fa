using OpenBao.Csi.Provider.Deployment.Tests.Support;

namespace OpenBao.Csi.Provider.Deployment.Tests;

/// <summary>The plain manifest keeps the contract with the CSI driver, the kubelet and RBAC.</summary>
public sealed class ManifestTests
{
    private const string ProvidersDir = "/etc/kubernetes/secrets-store-csi-providers";
    private readonly ProviderManifest _manifest = ProviderManifest.Load();

    [Fact]
    public void Endpoint_IsTheOpenbaoSocketInProviderMount()
    {
        Assert.Equal("/provider/openbao.sock", _manifest.Arg("endpoint"));
        Assert.Contains("-endpoint=/provider/openbao.sock", _manifest.Args);
    }

    [Fact]
    public void ProviderMount_IsTheDriversProvidersDirOnTheHost()
    {
        var mount = _manifest.MountAt("/provider");
        var volume = _manifest.Volume(mount.Str("name"));

        Assert.Equal(ProvidersDir, volume.Str("hostPath", "path"));
        Assert.NotEqual(true, mount.Find("readOnly")?.GetValue<bool>());
    }

    [Fact]
    public void ClusterRole_GrantsOnlyTokenRequestCreatePodListWatchAndEventCreatePatch()
    {
        var rules = _manifest.Single("ClusterRole").Objects("rules").ToList();

        Assert.Equal(3, rules.Count);
        Assert.All(rules, rule => Assert.Equal([""], rule.Find("apiGroups").Strings()));
        Assert.All(rules, rule => Assert.Null(rule.Find("resourceNames")));
        Assert.Equal(["serviceaccounts/token"], rules[0].Find("resources").Strings());
        Assert.Equal(["create"], rules[0].Find("verbs").Strings());
        Assert.Equal(["pods"], rules[1].Find("resources").Strings());
        Assert.Equal(["list", "watch"], rules[1].Find("verbs").Strings());
        Assert.Equal(["events"], rules[2].Find("resources").Strings());
        Assert.Equal(["create", "patch"], rules[2].Find("verbs").Strings());
    }

    [Fact]
    public void Role_GrantsGetOnTheHmacSecretAndCreateOnSecrets()
    {
        var role = _manifest.Single("Role");
        var rules = role.Objects("rules").ToList();
        var hmacSecret = _manifest.Arg("hmac-secret-name");

        Assert.Equal(2, rules.Count);
        Assert.All(rules, r => Assert.Equal([""], r.Find("apiGroups").Strings()));
        Assert.All(rules, r => Assert.Equal(["secrets"], r.Find("resources").Strings()));
        var get = Assert.Single(rules, r => r.Find("verbs").Strings().SequenceEqual(["get"]));
        Assert.Equal([hmacSecret], get.Find("resourceNames").Strings());
        var create = Assert.Single(rules, r => r.Find("verbs").Strings().SequenceEqual(["create"]));
        Assert.Null(create.Find("resourceNames"));
        Assert.Equal(_manifest.DaemonSet.Namespace(), role.Namespace());
    }

    [Fact]
    public void Bindings_TieTheRolesToTheDaemonSetsServiceAccount()
    {
        var serviceAccount = _manifest.PodSpec.Str("serviceAccountName");
        var ns = _manifest.DaemonSet.Namespace();

        Assert.Equal(ns, _manifest.Single("ServiceAccount").Namespace());
        Assert.Equal(serviceAccount, _manifest.Single("ServiceAccount").Name());
        foreach (var (binding, role) in new[] { ("ClusterRoleBinding", "ClusterRole"), ("RoleBinding", "Role") })
        {
            var doc = _manifest.Single(binding);
            Assert.Equal(role, doc.Str("roleRef", "kind"));
            Assert.Equal(_manifest.Single(role).Name(), doc.Str("roleRef", "name"));
            var subject = Assert.Single(doc.Objects("subjects"));
            Assert.Equal(("ServiceAccount", serviceAccount, ns), (subject.Str("kind"), subject.Str("name"), subject.Find("namespace")?.GetValue<string>()));
        }
    }

    [Fact]
    public void Rbac_AnywhereUnderDeploy_HasNoWildcards()
    {
        var rules = Repo.Files("deploy", "*.yaml")
            .SelectMany(Yaml.LoadDocuments)
            .Where(d => d.Kind() is "Role" or "ClusterRole")
            .SelectMany(d => d.Objects("rules"))
            .ToList();

        Assert.NotEmpty(rules);
        foreach (var rule in rules)
        {
            foreach (var field in new[] { "apiGroups", "resources", "verbs", "resourceNames" })
            {
                Assert.DoesNotContain("*", rule.Find(field).Strings());
            }
        }
    }

    [Theory]
    [InlineData("readinessProbe", "/health/ready")]
    [InlineData("livenessProbe", "/health/live")]
    public void Probe_HitsTheHealthPortWithTheGoThresholds(string probe, string path)
    {
        var healthPort = _manifest.Arg("health-addr");

        Assert.Equal(path, _manifest.Container.Str(probe, "httpGet", "path"));
        Assert.Equal($":{_manifest.ProbePort(probe)}", healthPort);
        Assert.Equal(8080, _manifest.ProbePort(probe));
        var settings = _manifest.Container.At(probe);
        Assert.Equal(2, settings.At("failureThreshold").GetValue<long>());
        Assert.Equal(5, settings.At("initialDelaySeconds").GetValue<long>());
        Assert.Equal(5, settings.At("periodSeconds").GetValue<long>());
        Assert.Equal(3, settings.At("timeoutSeconds").GetValue<long>());
        Assert.Equal(1, settings.At("successThreshold").GetValue<long>());
    }

    [Fact]
    public void ContainerSecurityContext_DropsEverythingAndWritesNothing()
    {
        var context = _manifest.Container.At("securityContext");

        Assert.True(context.At("readOnlyRootFilesystem").GetValue<bool>());
        Assert.False(context.At("allowPrivilegeEscalation").GetValue<bool>());
        Assert.Contains("ALL", context.Find("capabilities", "drop").Strings());
        Assert.Empty(context.Find("capabilities", "add").Strings());
        Assert.NotEqual(true, context.Find("privileged")?.GetValue<bool>());
        Assert.Equal("RuntimeDefault", context.Str("seccompProfile", "type"));
    }

    [Fact]
    public void PodSpec_SharesNoHostNamespaces()
    {
        foreach (var field in new[] { "hostNetwork", "hostPID", "hostIPC" })
        {
            Assert.NotEqual(true, _manifest.PodSpec.Find(field)?.GetValue<bool>());
        }
    }

    [Fact]
    public void Tmp_IsAMemoryEmptyDirBecauseTheRootIsReadOnly()
    {
        var volume = _manifest.Volume(_manifest.MountAt("/tmp").Str("name"));

        Assert.Equal("Memory", volume.Str("emptyDir", "medium"));
    }

    [Fact]
    public void Resources_SetRequestsAndLimits()
    {
        var resources = _manifest.Container.At("resources");

        Assert.Equal("50m", resources.Str("requests", "cpu"));
        Assert.Equal("100Mi", resources.Str("requests", "memory"));
        Assert.NotNull(resources.Find("limits", "cpu"));
        Assert.NotNull(resources.Find("limits", "memory"));
    }

    [Fact]
    public void Scheduling_CoversEveryLinuxNode()
    {
        var toleration = Assert.Single(_manifest.PodSpec.Objects("tolerations"));

        Assert.Equal("Exists", toleration.Str("operator"));
        Assert.Null(toleration.Find("key"));
        Assert.Equal("linux", _manifest.PodSpec.Str("nodeSelector", "kubernetes.io/os"));
    }

    [Fact]
    public void NodeName_ComesFromTheDownwardApi()
    {
        var env = _manifest.Container.Objects("env").Single(e => e.Str("name") == "NODE_NAME");

        Assert.Equal("spec.nodeName", env.Str("valueFrom", "fieldRef", "fieldPath"));
    }

    [Fact]
    public void PodNamespace_ComesFromTheDownwardApi()
    {
        var env = _manifest.Container.Objects("env").Single(e => e.Str("name") == "POD_NAMESPACE");

        Assert.Equal("metadata.namespace", env.Str("valueFrom", "fieldRef", "fieldPath"));
    }

    [Fact]
    public void Selector_IsTheGoProvidersSoApplyReplacesItInPlace()
    {
        var selector = _manifest.DaemonSet.At("spec", "selector", "matchLabels").AsObject();
        var podLabels = _manifest.DaemonSet.At("spec", "template", "metadata", "labels").AsObject();

        Assert.Equal("openbao-csi-provider", Assert.Single(selector).Value!.GetValue<string>());
        Assert.All(selector, kv => Assert.Equal(kv.Value!.GetValue<string>(), podLabels[kv.Key]!.GetValue<string>()));
        Assert.Equal(("csi", "openbao-csi-provider"), (_manifest.DaemonSet.Namespace(), _manifest.DaemonSet.Name()));
    }
}
