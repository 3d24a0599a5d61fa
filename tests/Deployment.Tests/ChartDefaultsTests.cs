using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenBao.Csi.Provider.Deployment.Tests.Support;

namespace OpenBao.Csi.Provider.Deployment.Tests;

/// <summary>
/// The chart with default values and the plain manifest are the same install. Without helm on
/// the build machine the chart is not rendered: values.yaml is compared with the manifest.
/// </summary>
public sealed partial class ChartDefaultsTests
{
    private readonly JsonObject _values = Chart.Values;
    private readonly ProviderManifest _manifest = ProviderManifest.Load();

    [Fact]
    public void Image_IsRegistryRepositoryAndAppVersion()
    {
        var image = _values.At("image");
        var tag = image.Str("tag") is { Length: > 0 } t ? t : Chart.Metadata.Str("appVersion");

        Assert.Equal($"{image.Str("registry")}/{image.Str("repository")}:{tag}", _manifest.Container.Str("image"));
        Assert.Equal(image.Str("pullPolicy"), _manifest.Container.Str("imagePullPolicy"));
    }

    [Theory]
    [InlineData("resources", "container", "resources")]
    [InlineData("daemonSet.securityContext.container", "container", "securityContext")]
    [InlineData("pod.tolerations", "pod", "tolerations")]
    [InlineData("pod.nodeSelector", "pod", "nodeSelector")]
    public void Default_EqualsTheManifest(string valuePath, string manifestLevel, string manifestField)
    {
        var level = manifestLevel == "container" ? _manifest.Container : _manifest.PodSpec;

        AssertJsonEqual(_values.At(valuePath.Split('.')), level[manifestField]);
    }

    [Theory]
    [InlineData("readinessProbe")]
    [InlineData("livenessProbe")]
    public void ProbeThresholds_EqualTheManifest(string probe)
    {
        var manifestProbe = _manifest.Container.At(probe).DeepClone().AsObject();
        manifestProbe.Remove("httpGet");

        AssertJsonEqual(_values.At(probe), manifestProbe);
    }

    [Fact]
    public void PodSecurityContext_EmptyByDefaultAndAbsentInTheManifest()
    {
        Assert.Empty(_values.At("daemonSet", "securityContext", "pod").AsObject());
        Assert.Null(_manifest.PodSpec.Find("securityContext"));
    }

    [Fact]
    public void Socket_EndpointAndProvidersDirMatch()
    {
        Assert.Equal(_values.Str("daemonSet", "endpoint"), _manifest.Arg("endpoint"));
        Assert.Equal(
            _values.Str("daemonSet", "providersDir"),
            _manifest.Volume(_manifest.MountAt("/provider").Str("name")).Str("hostPath", "path"));
    }

    [Fact]
    public void HealthPort_IsTheFlagAndTheContainerPort()
    {
        var port = _values.At("healthPort").GetValue<long>();

        Assert.Equal($":{port}", _manifest.Arg("health-addr"));
        Assert.Equal(port, _manifest.ProbePort("readinessProbe"));
    }

    [Fact]
    public void HmacSecret_DefaultNameIsTheGoProvidersAndTheRolesResourceName()
    {
        var configured = _values.Str("hmacSecretName");
        var expected = configured.Length > 0 ? configured : "openbao-csi-provider-hmac-key";

        Assert.Equal(expected, _manifest.Arg("hmac-secret-name"));
        Assert.Contains(expected, _manifest.Single("Role").Objects("rules").SelectMany(r => r.Find("resourceNames").Strings()));
    }

    [Theory]
    [InlineData("log-level", "logLevel")]
    [InlineData("cache-size", "cacheSize")]
    [InlineData("openbao-mount", "openbao", "authMountPath")]
    public void Flag_CarriesTheDefaultValue(string flag, params string[] valuePath)
    {
        Assert.Equal(_values.At(valuePath).ToString(), _manifest.Arg(flag));
    }

    [Fact]
    public void EmptyDefaults_LeaveTheirFlagsOut()
    {
        Assert.Equal("", _values.Str("openbao", "address"));
        Assert.Null(_manifest.Arg("openbao-addr"));
        // The provider picks the audience from the socket name (vault.sock serves vault-csi-provider's).
        Assert.Equal("", _values.Str("defaultAudience"));
        Assert.Null(_manifest.Arg("default-audience"));
        Assert.Equal("", _values.Str("openbao", "namespace"));
        Assert.Null(_manifest.Arg("openbao-namespace"));
        Assert.False(_values.At("debug").GetValue<bool>());
        Assert.DoesNotContain(_manifest.Args, a => a.TrimStart('-').StartsWith("debug", StringComparison.Ordinal));
        Assert.Empty(_values.At("extraArgs").AsArray());
        Assert.Equal("", _values.Str("priorityClassName"));
        Assert.Null(_manifest.PodSpec.Find("priorityClassName"));
        Assert.False(_values.At("hostNetwork").GetValue<bool>());
        Assert.Null(_manifest.PodSpec.Find("hostNetwork"));
    }

    [Fact]
    public void UpdateStrategy_IsTheSame()
    {
        Assert.Equal(
            _values.Str("daemonSet", "updateStrategy", "type"),
            _manifest.DaemonSet.Str("spec", "updateStrategy", "type"));
        Assert.Equal("", _values.Str("daemonSet", "updateStrategy", "maxUnavailable"));
        Assert.Null(_manifest.DaemonSet.Find("spec", "updateStrategy", "rollingUpdate"));
    }

    [Fact]
    public void Selector_IsTheManifests()
    {
        // Immutable on a DaemonSet: equal selectors let either install take over the other's DaemonSet.
        AssertJsonEqual(
            HelperTemplates.RenderLabels("openbao-csi-provider.selectorLabels"),
            _manifest.DaemonSet.At("spec", "selector", "matchLabels"));
    }

    [Fact]
    public void PodLabels_AreTheManifests()
    {
        Assert.Empty(_values.At("pod", "extraLabels").AsObject());
        AssertJsonEqual(
            HelperTemplates.RenderLabels("openbao-csi-provider.podLabels"),
            _manifest.DaemonSet.At("spec", "template", "metadata", "labels"));
    }

    [Fact]
    public void DaemonSetTemplate_SelectsWithSelectorLabelsAndLabelsPodsWithPodLabels()
    {
        var template = Chart.Template("daemonset.yaml");

        Assert.Matches(
            @"selector:\s+matchLabels:\s+\{\{- include ""openbao-csi-provider\.selectorLabels"" \. \| nindent 6 \}\}",
            template);
        Assert.Matches(
            @"template:\s+metadata:\s+labels:\s+\{\{- include ""openbao-csi-provider\.podLabels"" \. \| nindent 8 \}\}",
            template);
    }

    [Fact]
    public void SelectorLabels_AreAmongThePodLabels()
    {
        var pod = HelperTemplates.RenderLabels("openbao-csi-provider.podLabels");

        Assert.All(
            HelperTemplates.RenderLabels("openbao-csi-provider.selectorLabels"),
            label => Assert.Equal(label.Value!.GetValue<string>(), pod[label.Key]?.GetValue<string>()));
    }

    [Fact]
    public void ChartAndManifest_CreateTheSameKindsOfObjects()
    {
        // Anything else that selects pods (a PodDisruptionBudget) has to be added to both and compared like
        // the DaemonSet's selector above. The monitoring objects exist only where the Prometheus operator's
        // API does, so the plain manifest leaves them out; ChartMonitoringTests compares their selectors.
        string[] operatorOnly = ["PodMonitor", "ServiceMonitor", "PrometheusRule", "Service"];
        var chartKinds = Chart.TemplateFiles
            .SelectMany(f => KindLine().Matches(File.ReadAllText(f)).Select(m => m.Groups["kind"].Value))
            .Except(operatorOnly)
            .ToHashSet();
        var manifestKinds = _manifest.Documents.Select(d => d.Kind()).Where(k => k != "Namespace").ToHashSet();

        Assert.Equal(manifestKinds.Order(StringComparer.Ordinal), chartKinds.Order(StringComparer.Ordinal));
    }

    private static void AssertJsonEqual(JsonNode? expected, JsonNode? actual) =>
        Assert.True(
            JsonNode.DeepEquals(expected, actual),
            $"values.yaml: {expected?.ToJsonString()}\nmanifest:    {actual?.ToJsonString()}");

    [GeneratedRegex(@"^kind:\s*(?<kind>\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex KindLine();
}
