using k8s;

namespace Kubernetes.Emulator.Tests;

/// <summary>A started fake plus a real client built the way the provider builds one: from a kubeconfig file.</summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private readonly string _directory;

    private TestCluster(FakeKubernetesApi api, IKubernetes client, string directory)
    {
        Api = api;
        Client = client;
        _directory = directory;
    }

    public FakeKubernetesApi Api { get; }

    public IKubernetes Client { get; }

    public static async Task<TestCluster> StartAsync(FakeKubernetesApiOptions? options = null)
    {
        var api = await FakeKubernetesApi.StartAsync(options ?? new FakeKubernetesApiOptions());
        var directory = Directory.CreateTempSubdirectory("fake-kube-").FullName;
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(api.WriteKubeconfig(directory));
        return new TestCluster(api, new k8s.Kubernetes(config), directory);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Api.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
