using System.Text.Json.Nodes;
using OpenBao.Csi.Provider.Deployment.Tests.Support;

namespace OpenBao.Csi.Provider.Deployment.Tests;

/// <summary>
/// The chart with default values and the plain manifest are the same install. Without helm on
/// the build machine the chart is not rendered: values.yaml is compared with the manifest.
/// </summary>
public sealed class ChartDefaultsTests
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
    [InlineData("default-audience", "defaultAudience")]
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
        Assert.Equal("", _values.Str("openbao", "namespace"));
        Assert.Null(_manifest.Arg("openbao-namespace"));
        Assert.False(_values.At("debug").GetValue<bool>());
        Assert.DoesNotContain(_manifest.Args, a => a.TrimStart('-').StartsWith("debug", StringComparison.Ordinal));
        Assert.Empty(_values.At("extraArgs").AsArray());
        Assert.Equal("", _values.Str("priorityClassName"));
        Assert.Null(_manifest.PodSpec.Find("priorityClassName"));
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

    private static void AssertJsonEqual(JsonNode? expected, JsonNode? actual) =>
        Assert.True(
            JsonNode.DeepEquals(expected, actual),
            $"values.yaml: {expected?.ToJsonString()}\nmanifest:    {actual?.ToJsonString()}");
}
