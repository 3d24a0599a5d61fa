using System.Net;
using k8s;

namespace Kubernetes.Emulator.Tests;

public sealed class PodTests
{
    [Fact]
    public async Task Reads_a_registered_pod()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddPod("shop", "app-7d9f", "uid-1", "app");

        var pod = await cluster.Client.CoreV1.ReadNamespacedPodAsync("app-7d9f", "shop");

        Assert.Equal("app-7d9f", pod.Metadata.Name);
        Assert.Equal("shop", pod.Metadata.NamespaceProperty);
        Assert.Equal("uid-1", pod.Metadata.Uid);
        Assert.Equal("app", pod.Spec.ServiceAccountName);
    }

    [Fact]
    public async Task Missing_pod_is_404_NotFound()
    {
        await using var cluster = await TestCluster.StartAsync();

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.NotFound, () =>
            cluster.Client.CoreV1.ReadNamespacedPodAsync("gone", "shop"));

        Assert.Equal("pods \"gone\" not found", status.Message);
        Assert.Equal("pods", status.Details.Kind);
    }
}
