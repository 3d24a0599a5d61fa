using Kubernetes.Emulator;
using OpenBao.Csi.Provider.KubernetesApi;

namespace OpenBao.Csi.Provider.IntegrationTests.KubernetesApi;

/// <summary>The provider's Kubernetes client against an API server on HTTPS, reached at an address its certificate does not name.</summary>
public sealed class ApiServerTlsTests : IDisposable
{
    private const string ServiceName = "kubernetes.default.svc";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("kube-tls-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task TlsServerName_IsTheServerNameAskedFor_AndTheNameTheCertificateIsCheckedAgainst()
    {
        await using var api = await FakeKubernetesApi.StartAsync(new FakeKubernetesApiOptions { UseHttps = true, ServerNames = [ServiceName] });
        var client = Connect(api.WriteKubeconfig(_directory.FullName));

        var pods = await client.SendAsync(HttpMethod.Get, "api/v1/pods", KubernetesJsonContext.Default.PodList, CancellationToken.None);

        Assert.NotNull(pods.Metadata?.ResourceVersion);
        // client-go sends tls-server-name as SNI; HttpClient on its own would send none for 127.0.0.1.
        Assert.Equal([ServiceName], api.ServerNamesAsked);
    }

    [Fact]
    public async Task WithoutTlsServerName_AnIpAddressAsksForNoName()
    {
        await using var api = await FakeKubernetesApi.StartAsync(new FakeKubernetesApiOptions { UseHttps = true });
        var client = Connect(api.WriteKubeconfig(_directory.FullName));

        await client.SendAsync(HttpMethod.Get, "api/v1/pods", KubernetesJsonContext.Default.PodList, CancellationToken.None);

        Assert.Equal([string.Empty], api.ServerNamesAsked);
    }

    [Fact]
    public async Task TlsServerNameTheCertificateDoesNotHold_Refused()
    {
        await using var api = await FakeKubernetesApi.StartAsync(new FakeKubernetesApiOptions { UseHttps = true, ServerNames = [ServiceName] });
        var kubeconfig = api.WriteKubeconfig(_directory.FullName);
        await File.WriteAllTextAsync(kubeconfig, (await File.ReadAllTextAsync(kubeconfig)).Replace($"tls-server-name: {ServiceName}", "tls-server-name: elsewhere.example", StringComparison.Ordinal));
        var client = Connect(kubeconfig);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(HttpMethod.Get, "api/v1/pods", KubernetesJsonContext.Default.PodList, CancellationToken.None));
        Assert.Equal(["elsewhere.example"], api.ServerNamesAsked);
    }

    [Fact]
    public async Task PlainHttpServer_TlsServerNameHasNothingToName()
    {
        await using var api = await FakeKubernetesApi.StartAsync(new FakeKubernetesApiOptions { ServerNames = [ServiceName] });
        var client = Connect(api.WriteKubeconfig(_directory.FullName));

        var pods = await client.SendAsync(HttpMethod.Get, "api/v1/pods", KubernetesJsonContext.Default.PodList, CancellationToken.None);

        Assert.NotNull(pods.Metadata?.ResourceVersion);
    }

    private static KubernetesApiClient Connect(string kubeconfig) =>
        KubernetesConnection.Connect(kubeconfig, namespaceFlag: null, _ => null).Client!;
}
