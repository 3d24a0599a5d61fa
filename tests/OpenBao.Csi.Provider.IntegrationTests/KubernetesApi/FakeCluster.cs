using Kubernetes.Emulator;
using OpenBao.Csi.Provider.KubernetesApi;

namespace OpenBao.Csi.Provider.IntegrationTests.KubernetesApi;

/// <summary>The fake API server and a client built from a kubeconfig file, as the provider builds one.</summary>
internal sealed class FakeCluster : IAsyncDisposable
{
    private FakeCluster(FakeKubernetesApi api, string directory, string kubeconfig)
    {
        Api = api;
        Directory = directory;
        Kubeconfig = kubeconfig;
        Client = KubernetesConnection.Connect(kubeconfig, namespaceFlag: null, _ => null).Client!;
    }

    public FakeKubernetesApi Api { get; }

    public string Directory { get; }

    public string Kubeconfig { get; }

    public KubernetesApiClient Client { get; }

    public static async Task<FakeCluster> StartAsync()
    {
        var api = await FakeKubernetesApi.StartAsync();
        var directory = System.IO.Directory.CreateTempSubdirectory("fake-kube-").FullName;
        return new FakeCluster(api, directory, api.WriteKubeconfig(directory));
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
