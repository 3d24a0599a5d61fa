using k8s;
using Kubernetes.Emulator;

namespace OpenBao.Csi.Provider.IntegrationTests.KubernetesApi;

/// <summary>The fake API server and a client built from a kubeconfig file, as the provider builds one.</summary>
internal sealed class FakeCluster : IAsyncDisposable
{
    private FakeCluster(FakeKubernetesApi api, string directory, string kubeconfig)
    {
        Api = api;
        Directory = directory;
        Kubeconfig = kubeconfig;
        Client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
    }

    public FakeKubernetesApi Api { get; }

    public string Directory { get; }

    public string Kubeconfig { get; }

    public IKubernetes Client { get; }

    public static async Task<FakeCluster> StartAsync()
    {
        var api = await FakeKubernetesApi.StartAsync();
        var directory = System.IO.Directory.CreateTempSubdirectory("fake-kube-").FullName;
        return new FakeCluster(api, directory, api.WriteKubeconfig(directory));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Api.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
