using System.Net;
using k8s;
using k8s.Models;

namespace Kubernetes.Emulator.Tests;

/// <summary>The typed client's wire format end to end: what the provider will send when it records pod events.</summary>
public sealed class EventClientTests
{
    private static readonly DateTime First = new(2024, 5, 1, 9, 0, 0, DateTimeKind.Utc);

    private static Corev1Event RotationFailed(string name) =>
        new()
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "shop" },
            InvolvedObject = new V1ObjectReference { Kind = "Pod", NamespaceProperty = "shop", Name = "web", Uid = "uid-web", ApiVersion = "v1" },
            Reason = "SecretRotationFailed",
            Message = "reading secret/data/db: permission denied",
            Source = new V1EventSource { Component = "openbao-csi-provider", Host = "node-1" },
            FirstTimestamp = First,
            LastTimestamp = First,
            Count = 1,
            Type = "Warning",
            ReportingComponent = "openbao-csi-provider",
            ReportingInstance = "node-1",
        };

    [Fact]
    public async Task CreateThenStrategicPatch_AggregatesARepeatAsTheLegacyRecorderDoes()
    {
        await using var cluster = await TestCluster.StartAsync();
        var events = cluster.Client.CoreV1;

        var created = await events.CreateNamespacedEventAsync(RotationFailed("web.17c1"), "shop");
        var patch = new V1Patch("""{"count":2,"lastTimestamp":"2024-05-01T09:05:00Z"}""", V1Patch.PatchType.StrategicMergePatch);
        var patched = await events.PatchNamespacedEventAsync(patch, "web.17c1", "shop");

        Assert.Equal("web.17c1", created.Metadata.Name);
        Assert.Equal(1, created.Count);
        Assert.Equal(First, created.FirstTimestamp);
        Assert.Null(created.EventTime);
        Assert.Equal(2, patched.Count);
        Assert.Equal(First.AddMinutes(5), patched.LastTimestamp);
        Assert.Equal(First, patched.FirstTimestamp);
        Assert.NotEqual(created.Metadata.ResourceVersion, patched.Metadata.ResourceVersion);

        var stored = Assert.Single(cluster.Api.Events("shop"));
        Assert.Equal(("Warning", "SecretRotationFailed", 2), (stored.Type, stored.Reason, stored.Count));
        Assert.Equal(new EventObjectReference("Pod", "shop", "web", "uid-web", "v1", string.Empty), stored.InvolvedObject);
        Assert.Equal(("openbao-csi-provider", "openbao-csi-provider"), (stored.SourceComponent, stored.ReportingController));
        Assert.Equal(1, cluster.Api.CountEventRequests("create", "shop"));
        Assert.Equal(1, cluster.Api.CountEventRequests("patch", "shop"));
    }

    [Fact]
    public async Task MergePatchWithTheClientsOwnTimestampFormat_IsAccepted()
    {
        await using var cluster = await TestCluster.StartAsync();
        var events = cluster.Client.CoreV1;
        await events.CreateNamespacedEventAsync(RotationFailed("web.1"), "shop");
        var later = RotationFailed("web.1");
        later.LastTimestamp = First.AddSeconds(90.5);
        later.Count = 2;

        var body = KubernetesJson.Serialize(new Corev1Event { Count = later.Count, LastTimestamp = later.LastTimestamp });
        var patched = await events.PatchNamespacedEventAsync(new V1Patch(body, V1Patch.PatchType.MergePatch), "web.1", "shop");

        Assert.Equal(First.AddSeconds(90), patched.LastTimestamp);
        Assert.Equal(2, patched.Count);
    }

    [Fact]
    public async Task ListWithFieldSelector_ReturnsTheEventsOfOnePod()
    {
        await using var cluster = await TestCluster.StartAsync();
        var events = cluster.Client.CoreV1;
        await events.CreateNamespacedEventAsync(RotationFailed("web.1"), "shop");
        var other = RotationFailed("api.1");
        other.InvolvedObject.Name = "api";
        other.InvolvedObject.Uid = "uid-api";
        await events.CreateNamespacedEventAsync(other, "shop");

        var list = await events.ListNamespacedEventAsync("shop", fieldSelector: "involvedObject.uid=uid-web,type=Warning");

        Assert.Equal("web.1", Assert.Single(list.Items).Metadata.Name);
    }

    [Fact]
    public async Task CreateTwice_Is409AlreadyExistsThroughTheClient()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespacedEventAsync(RotationFailed("web.1"), "shop");

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.Conflict, () =>
            cluster.Client.CoreV1.CreateNamespacedEventAsync(RotationFailed("web.1"), "shop"));

        Assert.Equal("AlreadyExists", status.Reason);
        Assert.Equal("events", status.Details.Kind);
    }

    [Fact]
    public async Task PatchWhenDenied_Is403ThroughTheClient()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespacedEventAsync(RotationFailed("web.1"), "shop");
        cluster.Api.Deny("patch", "events");

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.Forbidden, () =>
            cluster.Client.CoreV1.PatchNamespacedEventAsync(new V1Patch("""{"count":2}""", V1Patch.PatchType.StrategicMergePatch), "web.1", "shop"));

        Assert.Equal("Forbidden", status.Reason);
        Assert.Equal(
            "events \"web.1\" is forbidden: User \"system:serviceaccount:csi:openbao-csi-provider\" cannot patch resource \"events\" in API group \"\" in the namespace \"shop\"",
            status.Message);
    }

    [Fact]
    public async Task CreateAboutAPodElsewhere_Is422InvalidThroughTheClient()
    {
        await using var cluster = await TestCluster.StartAsync();
        var misplaced = RotationFailed("web.1");
        misplaced.InvolvedObject.NamespaceProperty = "bank";

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity, () =>
            cluster.Client.CoreV1.CreateNamespacedEventAsync(misplaced, "shop"));

        Assert.Equal("involvedObject.namespace", Assert.Single(status.Details.Causes).Field);
    }

    [Fact]
    public async Task DeleteThroughTheClient_RemovesTheEvent()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespacedEventAsync(RotationFailed("web.1"), "shop");

        var status = await cluster.Client.CoreV1.DeleteNamespacedEventAsync("web.1", "shop");

        Assert.Equal("Success", status.Status);
        Assert.Empty(cluster.Api.Events());
    }
}
