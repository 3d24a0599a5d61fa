using System.Net;
using System.Text.Json.Nodes;
using k8s;

namespace Kubernetes.Emulator.Tests;

public sealed class PodListTests
{
    [Fact]
    public async Task ListAllNamespaces_WithPodsInTwoNamespaces_ReturnsKeyOrderedPodListAtTheClusterResourceVersion()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddPod("shop", "web", "uid-web", "app");
        cluster.Api.AddPod("bank", "ledger", "uid-ledger", "ledger", nodeName: "node-2");
        cluster.Api.AddSecret("bank", "unrelated", new Dictionary<string, byte[]>());

        var list = await cluster.Client.CoreV1.ListPodForAllNamespacesAsync();

        Assert.Equal("PodList", list.Kind);
        Assert.Equal("v1", list.ApiVersion);
        Assert.Equal(cluster.Api.CurrentResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), list.Metadata.ResourceVersion);
        Assert.Equal(["bank/ledger", "shop/web"], list.Items.Select(p => $"{p.Metadata.NamespaceProperty}/{p.Metadata.Name}"));
        Assert.Equal(["node-2", "node-1"], list.Items.Select(p => p.Spec.NodeName));
        Assert.Equal(["uid-ledger", "uid-web"], list.Items.Select(p => p.Metadata.Uid));
        var itemVersions = list.Items.Select(p => long.Parse(p.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(itemVersions[0] > itemVersions[1], "the later pod has the later resourceVersion");
        Assert.All(itemVersions, v => Assert.True(v < cluster.Api.CurrentResourceVersion, "the secret came after both pods"));
    }

    [Fact]
    public async Task ListRaw_ItemsOfAPodList_CarryNoKindOrApiVersion()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddPod("shop", "web", "uid-web", "app");
        using var http = ApiHttp.Create(api);

        var list = JsonNode.Parse(await http.GetStringAsync(new Uri("/api/v1/pods", UriKind.Relative)))!;

        var item = Assert.Single(list["items"]!.AsArray())!.AsObject();
        Assert.False(item.ContainsKey("kind"));
        Assert.False(item.ContainsKey("apiVersion"));
        Assert.Equal(["metadata", "spec", "status"], item.Select(p => p.Key));
        Assert.Equal("node-1", item["spec"]!["nodeName"]!.GetValue<string>());
        Assert.Equal("Running", item["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListNamespaced_WithPodsElsewhere_ReturnsOnlyThatNamespace()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddPod("shop", "web", "uid-web", "app");
        cluster.Api.AddPod("bank", "ledger", "uid-ledger", "ledger");

        var list = await cluster.Client.CoreV1.ListNamespacedPodAsync("shop");

        Assert.Equal("web", Assert.Single(list.Items).Metadata.Name);
    }

    [Fact]
    public async Task ListAllNamespaces_WithNodeNameSelector_ReturnsOnlyPodsOfThatNode()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddPod("shop", "a", "uid-a", "app", nodeName: "node-1");
        cluster.Api.AddPod("shop", "b", "uid-b", "app", nodeName: "node-2");
        cluster.Api.AddPod("bank", "c", "uid-c", "app", nodeName: "node-1");
        cluster.Api.AddPod("bank", "pending", "uid-p", "app", nodeName: null);

        var list = await cluster.Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "spec.nodeName=node-1");

        Assert.Equal(["c", "a"], list.Items.Select(p => p.Metadata.Name));
    }

    [Theory]
    [InlineData("metadata.namespace=shop,metadata.name=b", "b")]
    [InlineData("metadata.name==a", "a")]
    [InlineData("spec.nodeName!=node-1", "b,pending")]
    [InlineData("spec.nodeName=", "pending")]
    [InlineData("spec.host=node-2", "b")]
    [InlineData("status.phase=Pending", "pending")]
    [InlineData("spec.serviceAccountName=other,spec.nodeName=node-2", "")]
    [InlineData(",metadata.namespace=shop,", "a,b")]
    public async Task ListAllNamespaces_WithFieldSelector_AndsItsTerms(string selector, string expected)
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddPod("shop", "a", "uid-a", "app", nodeName: "node-1");
        cluster.Api.AddPod("shop", "b", "uid-b", "app", nodeName: "node-2");
        cluster.Api.AddPod("bank", "pending", "uid-p", "app", nodeName: null);

        var list = await cluster.Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: selector);

        Assert.Equal(expected, string.Join(',', list.Items.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal)));
    }

    [Theory]
    [InlineData("spec.containers=x", "field label not supported: spec.containers")]
    // Terms are sorted before conversion, so the first unsupported one in sorted order is named.
    [InlineData("zeta=1,alpha=2", "field label not supported: alpha")]
    [InlineData("spec.nodeName", "invalid selector: 'spec.nodeName'; can't understand 'spec.nodeName'")]
    [InlineData("metadata.name=a=b", "invalid field selector: unescaped character in value: 61")]
    [InlineData("metadata.name=a\\x", "invalid field selector: invalid escape sequence: \\x")]
    public async Task ListAllNamespaces_WithBadFieldSelector_Is400BadRequestWithTheApiServerText(string selector, string message)
    {
        await using var cluster = await TestCluster.StartAsync();

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.BadRequest, () =>
            cluster.Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: selector));

        Assert.Equal("BadRequest", status.Reason);
        Assert.Equal(message, status.Message);
        Assert.Null(status.Details);
    }

    [Fact]
    public async Task ListAllNamespaces_WhenListDenied_Is403AtTheClusterScope()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.Deny("list", "pods");

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.Forbidden, () =>
            cluster.Client.CoreV1.ListPodForAllNamespacesAsync());

        StatusAssert.IsForbidden(
            status,
            "pods is forbidden: User \"system:serviceaccount:csi:openbao-csi-provider\" cannot list resource \"pods\" in API group \"\" at the cluster scope",
            null,
            "pods");
    }

    [Fact]
    public async Task ListNamespaced_WhenListDeniedInThatNamespace_Is403InTheNamespace()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.Deny("list", "pods", "shop");

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.Forbidden, () =>
            cluster.Client.CoreV1.ListNamespacedPodAsync("shop"));
        await cluster.Client.CoreV1.ListNamespacedPodAsync("bank");

        Assert.Equal(
            "pods is forbidden: User \"system:serviceaccount:csi:openbao-csi-provider\" cannot list resource \"pods\" in API group \"\" in the namespace \"shop\"",
            status.Message);
    }

    [Fact]
    public async Task ListAllNamespaces_AfterChanges_ShowsTheCurrentStateAtANewerResourceVersion()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddPod("shop", "a", "uid-a", "app");
        cluster.Api.AddPod("shop", "b", "uid-b", "app");
        var before = await cluster.Client.CoreV1.ListPodForAllNamespacesAsync();

        cluster.Api.DeletePod("shop", "a");
        cluster.Api.SetPodPhase("shop", "b", "Succeeded");
        var after = await cluster.Client.CoreV1.ListPodForAllNamespacesAsync(resourceVersion: before.Metadata.ResourceVersion);

        var pod = Assert.Single(after.Items);
        Assert.Equal("Succeeded", pod.Status.Phase);
        Assert.Equal(after.Metadata.ResourceVersion, pod.Metadata.ResourceVersion);
        Assert.True(long.Parse(after.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)
            > long.Parse(before.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ListAllNamespaces_FromAResourceVersionNotYetReached_Is504TooLargeResourceVersion()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddPod("shop", "a", "uid-a", "app");
        var ahead = cluster.Api.CurrentResourceVersion + 10;

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.GatewayTimeout, () =>
            cluster.Client.CoreV1.ListPodForAllNamespacesAsync(resourceVersion: ahead.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal("Timeout", status.Reason);
        Assert.Equal($"Timeout: Too large resource version: {ahead}, current: {ahead - 10}", status.Message);
        Assert.Equal("ResourceVersionTooLarge", Assert.Single(status.Details.Causes).Reason);
        Assert.Equal(1, status.Details.RetryAfterSeconds);
    }

    [Fact]
    public async Task ListRaw_WithAnUnparsableResourceVersion_Is500WithoutAReason()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        using var http = ApiHttp.Create(api);

        using var response = await http.GetAsync(new Uri("/api/v1/pods?resourceVersion=abc", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"resourceVersion: Invalid value: \"abc\": strconv.ParseUint: parsing \"abc\": invalid syntax","code":500}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ListRaw_WithALabelSelector_Is400BecauseTheFakeDoesNotImplementIt()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        using var http = ApiHttp.Create(api);

        using var response = await http.GetAsync(new Uri("/api/v1/pods?labelSelector=app%3Dweb", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("labelSelector", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListRaw_WithAPost_Is405MethodNotAllowed()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        using var http = ApiHttp.Create(api);

        using var response = await http.PostAsync(new Uri("/api/v1/pods", UriKind.Relative), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
