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
        Assert.Equal("node-1", pod.Spec.NodeName);
        Assert.Equal("Running", pod.Status.Phase);
    }

    [Fact]
    public async Task ReadPod_AfterChanges_ShowsTheCurrentStateAndResourceVersion()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddPod("shop", "web", "uid-1", "app", nodeName: null);
        var pending = await cluster.Client.CoreV1.ReadNamespacedPodAsync("web", "shop");

        cluster.Api.BindPod("shop", "web", "node-7");
        cluster.Api.MarkPodForDeletion("shop", "web", gracePeriodSeconds: 5);
        var terminating = await cluster.Client.CoreV1.ReadNamespacedPodAsync("web", "shop");

        Assert.Null(pending.Spec.NodeName);
        Assert.Equal("Pending", pending.Status.Phase);
        Assert.Equal("node-7", terminating.Spec.NodeName);
        Assert.Equal("Running", terminating.Status.Phase);
        Assert.Equal(5, terminating.Metadata.DeletionGracePeriodSeconds);
        Assert.NotNull(terminating.Metadata.DeletionTimestamp);
        Assert.Equal(cluster.Api.CurrentResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), terminating.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task ReadPod_AfterDeletePod_Is404NotFound()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddPod("shop", "web", "uid-1", "app");

        cluster.Api.DeletePod("shop", "web");

        await StatusAssert.FailsWithAsync(HttpStatusCode.NotFound, () => cluster.Client.CoreV1.ReadNamespacedPodAsync("web", "shop"));
        Assert.Throws<InvalidOperationException>(() => cluster.Api.DeletePod("shop", "web"));
        Assert.Throws<InvalidOperationException>(() => cluster.Api.SetPodPhase("shop", "web", "Failed"));
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
