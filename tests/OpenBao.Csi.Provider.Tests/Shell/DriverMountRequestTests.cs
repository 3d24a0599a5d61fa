using System.Text.Json;
using OpenBao.Csi.Provider.Mounting;
using OpenBao.Csi.Provider.Shell;
using OpenBao.Csi.Provider.V1Alpha1;

namespace OpenBao.Csi.Provider.Tests.Shell;

public sealed class DriverMountRequestTests
{
    private const string Jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";

    private static readonly SecretProviderClassManifest Manifest = new(
        "app-secrets",
        "shop",
        "openbao",
        new Dictionary<string, string>
        {
            ["roleName"] = "app",
            ["objects"] = "- objectName: pw\n  secretPath: secret/data/shop/db\n  secretKey: password\n",
            // The kubelet's volume context wins over a parameter of the same name, as in the driver.
            [AttributeKeys.PodName] = "spoofed",
        },
        [],
        new HashSet<string>());

    private static readonly MountPod Pod = new("shop", "app-0", "5c0e6b1a-0000-4000-8000-000000000001", "app");

    private static readonly PodToken Token = new("openbao", Jwt, new DateTimeOffset(2026, 11, 23, 19, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Build_Attributes_AreTheParametersAndTheKubeletsVolumeContextWithSortedKeys()
    {
        var request = DriverMountRequest.Build(Manifest, Pod, Token, "/tmp/target");

        using var attributes = JsonDocument.Parse(request.Attributes);
        var keys = attributes.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["csi.storage.k8s.io/ephemeral"] = "true",
                ["csi.storage.k8s.io/pod.name"] = "app-0",
                ["csi.storage.k8s.io/pod.namespace"] = "shop",
                ["csi.storage.k8s.io/pod.uid"] = Pod.Uid!,
                ["csi.storage.k8s.io/serviceAccount.name"] = "app",
                ["csi.storage.k8s.io/serviceAccount.tokens"] = $"{{\"openbao\":{{\"token\":\"{Jwt}\",\"expirationTimestamp\":\"2026-11-23T19:00:00Z\"}}}}",
                ["objects"] = Manifest.Parameters["objects"],
                ["roleName"] = "app",
                ["secretProviderClass"] = "app-secrets",
            },
            attributes.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
        Assert.Equal(("420", "null", "/tmp/target"), (request.Permission, request.Secrets, request.TargetPath));
        Assert.Empty(request.CurrentObjectVersion);
    }

    [Fact]
    public void Build_ReadByTheProvidersParser_GivesThePodTokenAndObjects()
    {
        var request = DriverMountRequest.Build(Manifest, Pod, Token, DriverMountRequest.KubeletTargetPath(Pod.Uid));

        var mount = MountRequestParser.Parse(request.Attributes, request.Permission);

        Assert.Equal(new PodIdentity("shop", "app", "app-0", Pod.Uid), mount.Pod);
        Assert.Equal(Jwt, mount.DriverTokens["openbao"].Token);
        Assert.Equal(Token.ExpiresAt, mount.DriverTokens["openbao"].ExpiresAt);
        Assert.Equal("pw", Assert.Single(mount.Objects).ObjectName);
        Assert.Equal(420, mount.DefaultFileMode);
        Assert.Equal("app-secrets", mount.SecretProviderClass);
    }

    [Fact]
    public void Build_UnknownUidAndNoToken_LeavesBothOut()
    {
        var request = DriverMountRequest.Build(Manifest, Pod with { Uid = null }, token: null, DriverMountRequest.KubeletTargetPath(null));

        using var attributes = JsonDocument.Parse(request.Attributes);
        Assert.False(attributes.RootElement.TryGetProperty(AttributeKeys.PodUid, out _));
        Assert.False(attributes.RootElement.TryGetProperty(AttributeKeys.ServiceAccountTokens, out _));
        Assert.StartsWith("/var/lib/kubelet/pods/", request.TargetPath, StringComparison.Ordinal);
    }

    [Fact]
    public void PodToken_ToString_HidesTheJwt()
    {
        Assert.DoesNotContain(Jwt, Token.ToString(), StringComparison.Ordinal);
    }
}
