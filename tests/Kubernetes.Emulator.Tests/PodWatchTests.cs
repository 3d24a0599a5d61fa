using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Kubernetes.Emulator.Tests;

public sealed class PodWatchTests
{
    private const string AllPods = "/api/v1/pods?watch=true";
    private const string NodeOne = "/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dnode-1";

    private static string Rv(long resourceVersion) => resourceVersion.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Watch_Response_IsA200ChunkedJsonStreamStartedBeforeAnyEvent()
    {
        await using var api = await FakeKubernetesApi.StartAsync();

        using var watch = await WatchStream.OpenAsync(api, AllPods);

        Assert.Equal(HttpStatusCode.OK, watch.Response.StatusCode);
        Assert.Equal("application/json", watch.Response.Content.Headers.ContentType?.ToString());
        Assert.True(watch.Response.Headers.TransferEncodingChunked);
        Assert.Equal(1, api.OpenWatchCount);
    }

    [Fact]
    public async Task CutNextWatchesShort_ThatWatchEndsCleanlyWithoutAnEvent_TheNextIsServed()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddPod("shop", "web", "uid-web", "app");
        api.CutNextWatchesShort(1);

        using var cut = await WatchStream.OpenAsync(api, AllPods);
        using var served = await WatchStream.OpenAsync(api, AllPods);

        Assert.Equal(HttpStatusCode.OK, cut.Response.StatusCode);
        Assert.Null(await cut.ReadLineAsync());
        await served.NextAsync("ADDED", "web");
    }

    [Theory]
    [InlineData("")]
    [InlineData("&resourceVersion=0")]
    public async Task Watch_WithResourceVersionUnsetOrZero_StartsWithSyntheticAddedForTheCurrentState(string resourceVersion)
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddPod("shop", "web", "uid-web", "app");
        api.AddPod("bank", "ledger", "uid-ledger", "ledger");
        api.SetPodPhase("shop", "web", "Succeeded");
        var current = api.CurrentResourceVersion;

        using var watch = await WatchStream.OpenAsync(api, AllPods + resourceVersion);
        var ledger = await watch.NextAsync("ADDED", "ledger");
        var web = await watch.NextAsync("ADDED", "web");
        api.AddPod("shop", "late", "uid-late", "app");
        var late = await watch.NextAsync("ADDED", "late");

        // Each object carries its own resourceVersion, not the watch's starting point.
        Assert.Equal(current, WatchEvent.ResourceVersion(web));
        Assert.Equal(current - 1, WatchEvent.ResourceVersion(ledger));
        Assert.Equal("Succeeded", web["status"]!["phase"]!.GetValue<string>());
        Assert.Equal(api.CurrentResourceVersion, WatchEvent.ResourceVersion(late));
    }

    [Fact]
    public async Task Watch_Event_IsOneLineWithTypeAndTheFullPodObject()
    {
        await using var api = await FakeKubernetesApi.StartAsync(new FakeKubernetesApiOptions
        {
            TimeProvider = new ManualTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero)),
        });
        api.AddPod("shop", "web", "uid-web", "app");

        using var watch = await WatchStream.OpenAsync(api, AllPods);

        Assert.Equal(
            """{"type":"ADDED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"web","namespace":"shop","uid":"uid-web","resourceVersion":"1","creationTimestamp":"2030-01-02T03:04:05Z"},"spec":{"containers":[{"name":"app","image":"registry.example/app:latest"}],"restartPolicy":"Always","serviceAccountName":"app","serviceAccount":"app","nodeName":"node-1","schedulerName":"default-scheduler"},"status":{"phase":"Running"}}}""",
            await watch.ReadLineAsync());
    }

    [Fact]
    public async Task Watch_FromAResourceVersion_ReplaysEveryLaterChangeThenStreamsLive()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddPod("shop", "old", "uid-old", "app");
        var from = api.CurrentResourceVersion;
        api.AddPod("shop", "web", "uid-web", "app");
        api.SetPodPhase("shop", "old", "Succeeded");
        api.DeletePod("shop", "old");

        using var watch = await WatchStream.OpenAsync(api, $"{AllPods}&resourceVersion={Rv(from)}");
        var added = await watch.NextAsync("ADDED", "web");
        var modified = await watch.NextAsync("MODIFIED", "old");
        var deleted = await watch.NextAsync("DELETED", "old");
        api.SetPodPhase("shop", "web", "Failed");
        var live = await watch.NextAsync("MODIFIED", "web");

        Assert.Equal([from + 1, from + 2, from + 3, from + 4], new[] { added, modified, deleted, live }.Select(WatchEvent.ResourceVersion));
        Assert.Equal("Failed", live["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_LiveDelete_IsDeletedWithTheLastStateAtTheDeletionResourceVersion()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddPod("shop", "web", "uid-web", "app");
        using var watch = await WatchStream.OpenAsync(api, AllPods);
        await watch.NextAsync("ADDED", "web");

        api.MarkPodForDeletion("shop", "web", gracePeriodSeconds: 30);
        var terminating = await watch.NextAsync("MODIFIED", "web");
        api.SetPodPhase("shop", "web", "Succeeded");
        await watch.NextAsync("MODIFIED", "web");
        api.DeletePod("shop", "web");
        var deleted = await watch.NextAsync("DELETED", "web");

        Assert.Equal(30, terminating["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());
        Assert.NotNull(terminating["metadata"]!["deletionTimestamp"]);
        Assert.Equal(api.CurrentResourceVersion, WatchEvent.ResourceVersion(deleted));
        Assert.Equal("uid-web", deleted["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal("Succeeded", deleted["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("node-1", deleted["spec"]!["nodeName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_WithNodeNameSelector_NeverSeesPodsOfOtherNodes()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddPod("shop", "other-before", "uid-1", "app", nodeName: "node-2");
        api.AddPod("shop", "mine-before", "uid-2", "app", nodeName: "node-1");
        var from = api.CurrentResourceVersion;
        api.AddPod("shop", "other-replayed", "uid-3", "app", nodeName: "node-2");
        api.AddPod("shop", "mine-replayed", "uid-4", "app", nodeName: "node-1");

        using var initial = await WatchStream.OpenAsync(api, NodeOne);
        using var replay = await WatchStream.OpenAsync(api, $"{NodeOne}&resourceVersion={Rv(from)}");
        api.AddPod("shop", "other-live", "uid-5", "app", nodeName: "node-2");
        api.SetPodPhase("shop", "other-before", "Failed");
        api.DeletePod("shop", "other-replayed");
        api.AddPod("shop", "mine-live", "uid-6", "app", nodeName: "node-1");

        // Events arrive in resourceVersion order, so reaching mine-live proves nothing of node-2 came first.
        await initial.NextAsync("ADDED", "mine-before");
        await initial.NextAsync("ADDED", "mine-replayed");
        await initial.NextAsync("ADDED", "mine-live");
        await replay.NextAsync("ADDED", "mine-replayed");
        await replay.NextAsync("ADDED", "mine-live");
    }

    [Fact]
    public async Task Watch_WhenAPodIsBoundToTheSelectedNode_SeesItAsAdded()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddPod("shop", "web", "uid-web", "app", nodeName: null);
        using var watch = await WatchStream.OpenAsync(api, NodeOne);

        api.BindPod("shop", "web", "node-1");
        var added = await watch.NextAsync("ADDED", "web");

        Assert.Equal(api.CurrentResourceVersion, WatchEvent.ResourceVersion(added));
        Assert.Equal("Running", added["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_WhenAPodStopsMatchingTheSelector_SeesItAsDeletedAtTheChange()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddPod("shop", "web", "uid-web", "app");
        using var watch = await WatchStream.OpenAsync(api, "/api/v1/pods?watch=1&fieldSelector=status.phase%3DRunning");
        await watch.NextAsync("ADDED", "web");

        api.SetPodPhase("shop", "web", "Succeeded");
        var deleted = await watch.NextAsync("DELETED", "web");

        // The last state that matched, at the resourceVersion of the change that made it stop matching.
        Assert.Equal("Running", deleted["status"]!["phase"]!.GetValue<string>());
        Assert.Equal(api.CurrentResourceVersion, WatchEvent.ResourceVersion(deleted));
    }

    [Fact]
    public async Task WatchNamespaced_WithPodsElsewhere_SeesOnlyThatNamespace()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddPod("bank", "ledger", "uid-1", "app");
        using var watch = await WatchStream.OpenAsync(api, "/api/v1/namespaces/shop/pods?watch=true");

        api.AddPod("bank", "audit", "uid-2", "app");
        api.AddPod("shop", "web", "uid-3", "app");

        await watch.NextAsync("ADDED", "web");
    }

    [Fact]
    public async Task AddPod_WithAnotherUidUnderTheSameName_IsDeletedThenAdded()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddPod("shop", "web", "uid-1", "app");
        using var watch = await WatchStream.OpenAsync(api, AllPods);
        await watch.NextAsync("ADDED", "web");

        api.AddPod("shop", "web", "uid-1", "app");
        var updated = await watch.NextAsync("MODIFIED", "web");
        api.AddPod("shop", "web", "uid-2", "app");
        var deleted = await watch.NextAsync("DELETED", "web");
        var added = await watch.NextAsync("ADDED", "web");

        Assert.Equal("uid-1", updated["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal("uid-1", deleted["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal("uid-2", added["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal(WatchEvent.ResourceVersion(deleted) + 1, WatchEvent.ResourceVersion(added));
    }

    [Fact]
    public async Task ListThenWatch_FromTheListResourceVersion_MissesNothingAndRepeatsNothing()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddPod("shop", "listed", "uid-1", "app");
        var list = await k8s.CoreV1OperationsExtensions.ListPodForAllNamespacesAsync(cluster.Client.CoreV1, fieldSelector: "spec.nodeName=node-1");
        cluster.Api.AddPod("shop", "between", "uid-2", "app");

        using var watch = await WatchStream.OpenAsync(cluster.Api, $"{NodeOne}&resourceVersion={list.Metadata.ResourceVersion}");
        await watch.NextAsync("ADDED", "between");
        cluster.Api.DeletePod("shop", "listed");
        await watch.NextAsync("DELETED", "listed");

        Assert.Equal("listed", Assert.Single(list.Items).Metadata.Name);
    }

    [Fact]
    public async Task Watch_FromAResourceVersionBeforeCompaction_GetsOne410ExpiredErrorEventAndEnds()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddPod("shop", "web", "uid-web", "app");
        var held = api.CurrentResourceVersion;
        api.SetPodPhase("shop", "web", "Succeeded");
        api.CompactHistory();
        var compacted = api.CurrentResourceVersion;

        using var watch = await WatchStream.OpenAsync(api, $"{NodeOne}&resourceVersion={Rv(held)}");

        Assert.Equal(HttpStatusCode.OK, watch.Response.StatusCode);
        Assert.Equal("application/json", watch.Response.Content.Headers.ContentType?.ToString());
        Assert.Equal(
            "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + $"\"message\":\"too old resource version: {held} ({compacted})\",\"reason\":\"Expired\",\"code\":410}}}}",
            await watch.ReadLineAsync());
        Assert.Null(await watch.ReadLineAsync());
        Assert.Equal(0, api.OpenWatchCount);
    }

    [Fact]
    public async Task Watch_FromTheCompactionPoint_IsNotExpired()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddPod("shop", "web", "uid-web", "app");
        api.CompactHistory();
        var compacted = api.CurrentResourceVersion;
        api.SetPodPhase("shop", "web", "Succeeded");

        using var watch = await WatchStream.OpenAsync(api, $"{AllPods}&resourceVersion={Rv(compacted)}");

        await watch.NextAsync("MODIFIED", "web");
    }

    [Fact]
    public async Task Watch_FromAResourceVersionNotYetReached_WaitsForItThenSeesOnlyChangesAfterIt()
    {
        var (api, _) = await StartOnFakeClockAsync();
        await using var _ = api;
        var ahead = api.CurrentResourceVersion + 1;
        var opening = WatchStream.OpenAsync(api, $"{AllPods}&resourceVersion={Rv(ahead)}");
        await api.WaitForWatchesAheadAsync(1).WaitAsync(TimeSpan.FromSeconds(10));

        api.AddPod("shop", "at", "uid-1", "app");
        api.AddPod("shop", "after", "uid-2", "app");

        using var watch = await opening;
        await watch.NextAsync("ADDED", "after");
        await api.WaitForWatchesAheadAsync(0).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Watch_FromAResourceVersionNotReachedWithinThreeSeconds_GetsOne504TooLargeErrorEventAndEnds()
    {
        var (api, clock) = await StartOnFakeClockAsync();
        await using var _ = api;
        api.AddPod("shop", "web", "uid-web", "app");
        var current = api.CurrentResourceVersion;
        var opening = WatchStream.OpenAsync(api, $"{NodeOne}&resourceVersion={Rv(current + 5)}");
        await api.WaitForWatchesAheadAsync(1).WaitAsync(TimeSpan.FromSeconds(10));

        clock.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(opening.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        using var watch = await opening;

        Assert.Equal(HttpStatusCode.OK, watch.Response.StatusCode);
        Assert.Equal(
            "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + $"\"message\":\"Timeout: Too large resource version: {current + 5}, current: {current}\",\"reason\":\"Timeout\","
                + "\"details\":{\"causes\":[{\"reason\":\"ResourceVersionTooLarge\",\"message\":\"Too large resource version\"}],\"retryAfterSeconds\":1},\"code\":504}}",
            await watch.ReadLineAsync());
        Assert.Null(await watch.ReadLineAsync());
        Assert.Equal(0, api.OpenWatchCount);
    }

    [Fact]
    public async Task AnswerNextPodListsAhead_ListsFromAnotherServer_AWatchFromThemHereIsTooLarge()
    {
        var (api, clock) = await StartOnFakeClockAsync();
        await using var _ = api;
        using var http = ApiHttp.Create(api);
        api.AddPod("shop", "web", "uid-web", "app", "node-1");
        var current = api.CurrentResourceVersion;
        api.AnswerNextPodListsAhead(1, by: 5);

        var ahead = JsonNode.Parse(await http.GetStringAsync(new Uri("/api/v1/pods", UriKind.Relative)))!;
        var afterwards = JsonNode.Parse(await http.GetStringAsync(new Uri("/api/v1/pods", UriKind.Relative)))!;
        var aheadVersion = ahead["metadata"]!["resourceVersion"]!.GetValue<string>();
        var opening = WatchStream.OpenAsync(api, $"{NodeOne}&resourceVersion={aheadVersion}");
        await api.WaitForWatchesAheadAsync(1).WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(3));
        using var watch = await opening;

        Assert.Equal(Rv(current + 5), aheadVersion);
        Assert.Equal("web", Assert.Single(ahead["items"]!.AsArray())!["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(Rv(current), afterwards["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Contains("\"reason\":\"ResourceVersionTooLarge\"", await watch.ReadLineAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DropWatches_WithOpenWatches_BreaksEachStreamWithoutACleanEnd()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddPod("shop", "web", "uid-web", "app");
        using var first = await WatchStream.OpenAsync(api, AllPods);
        using var second = await WatchStream.OpenAsync(api, NodeOne);
        await first.NextAsync("ADDED", "web");
        await second.NextAsync("ADDED", "web");

        api.DropWatches();

        await Assert.ThrowsAnyAsync<IOException>(first.ReadLineAsync);
        await Assert.ThrowsAnyAsync<IOException>(second.ReadLineAsync);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await api.WaitForOpenWatchCountAsync(0, timeout.Token);
    }

    [Fact]
    public async Task Watch_WhenTheClientDisconnects_IsNoLongerCountedAsOpen()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        var watch = await WatchStream.OpenAsync(api, AllPods);
        Assert.Equal(1, api.OpenWatchCount);

        watch.Dispose();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await api.WaitForOpenWatchCountAsync(0, timeout.Token);
    }

    [Fact]
    public async Task SendBookmarks_WithAllowWatchBookmarks_SendsABookmarkAtTheCurrentResourceVersion()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        using var watch = await WatchStream.OpenAsync(api, $"{NodeOne}&allowWatchBookmarks=true");

        // Nothing after the start: a real server sends no bookmark for where the watch already is.
        api.SendBookmarks();
        api.AddPod("shop", "elsewhere", "uid-1", "app", nodeName: "node-2");
        api.SendBookmarks();

        Assert.Equal(
            "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\","
                + $"\"metadata\":{{\"resourceVersion\":\"{api.CurrentResourceVersion}\"}},\"spec\":{{\"containers\":null}},\"status\":{{}}}}}}",
            await watch.ReadLineAsync());
    }

    [Fact]
    public async Task SendBookmarks_WithoutAllowWatchBookmarks_SendsNothing()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        using var watch = await WatchStream.OpenAsync(api, $"{AllPods}&allowWatchBookmarks=false");

        api.AddPod("shop", "web", "uid-1", "app");
        api.SendBookmarks();
        api.SetPodPhase("shop", "web", "Succeeded");

        await watch.NextAsync("ADDED", "web");
        await watch.NextAsync("MODIFIED", "web");
    }

    [Fact]
    public async Task Watch_WithAllowWatchBookmarks_GetsABookmarkEveryMinuteOfTheClock()
    {
        var (started, clock) = await StartOnFakeClockAsync();
        await using var api = started;
        using var watch = await WatchStream.OpenAsync(api, $"{NodeOne}&allowWatchBookmarks=true");
        api.AddPod("shop", "elsewhere", "uid-1", "app", nodeName: "node-2");

        // Each pod event is queued after any bookmark due by then, so reaching it proves none came before it.
        clock.Advance(TimeSpan.FromSeconds(59));
        api.AddPod("shop", "before", "uid-2", "app");
        await watch.NextAsync("ADDED", "before");
        clock.Advance(TimeSpan.FromSeconds(1));
        var first = await watch.NextAsync();
        api.AddPod("shop", "between", "uid-3", "app");
        await watch.NextAsync("ADDED", "between");
        clock.Advance(TimeSpan.FromSeconds(60));
        var second = await watch.NextAsync();

        Assert.Equal("BOOKMARK", WatchEvent.Type(first));
        Assert.Equal(api.CurrentResourceVersion - 1, WatchEvent.ResourceVersion(first["object"]!));
        Assert.Equal("BOOKMARK", WatchEvent.Type(second));
        Assert.Equal(api.CurrentResourceVersion, WatchEvent.ResourceVersion(second["object"]!));
    }

    [Fact]
    public async Task Watch_WithAllowWatchBookmarksAndATimeout_GetsTheLastBookmarkTwoSecondsBeforeItEnds()
    {
        var (started, clock) = await StartOnFakeClockAsync();
        await using var api = started;
        api.AddPod("shop", "web", "uid-web", "app");
        using var watch = await WatchStream.OpenAsync(api, $"{AllPods}&allowWatchBookmarks=true&timeoutSeconds=90");
        await watch.NextAsync("ADDED", "web");
        api.SetPodPhase("shop", "web", "Succeeded");
        await watch.NextAsync("MODIFIED", "web");

        clock.Advance(TimeSpan.FromSeconds(60));
        var periodic = await watch.NextAsync();
        clock.Advance(TimeSpan.FromSeconds(27));
        api.SetPodPhase("shop", "web", "Failed");
        await watch.NextAsync("MODIFIED", "web");
        clock.Advance(TimeSpan.FromSeconds(1));
        var last = await watch.NextAsync();
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("BOOKMARK", WatchEvent.Type(periodic));
        Assert.Equal("BOOKMARK", WatchEvent.Type(last));
        Assert.Equal(api.CurrentResourceVersion, WatchEvent.ResourceVersion(last["object"]!));
        Assert.Null(await watch.ReadLineAsync());
    }

    [Fact]
    public async Task Watch_WithoutAllowWatchBookmarks_GetsNoBookmarkAsTheClockAdvances()
    {
        var (started, clock) = await StartOnFakeClockAsync();
        await using var api = started;
        using var watch = await OpenWatchOfOnePodAsync(api, timeoutSeconds: 600);

        api.SetPodPhase("shop", "web", "Succeeded");
        clock.Advance(TimeSpan.FromMinutes(5));
        api.SetPodPhase("shop", "web", "Failed");

        await watch.NextAsync("MODIFIED", "web");
        await watch.NextAsync("MODIFIED", "web");
    }

    [Fact]
    public async Task SilenceWatches_WithAllowWatchBookmarks_SendsNoBookmarkAsTheClockAdvances()
    {
        var (started, clock) = await StartOnFakeClockAsync();
        await using var api = started;
        using var watch = await WatchStream.OpenAsync(api, $"{AllPods}&allowWatchBookmarks=true");
        api.AddPod("shop", "web", "uid-web", "app");
        await watch.NextAsync("ADDED", "web");

        api.SilenceWatches();
        clock.Advance(TimeSpan.FromMinutes(2));
        api.DropWatches();

        await Assert.ThrowsAnyAsync<IOException>(() => watch.ReadLineAsync());
    }

    [Fact]
    public async Task SilenceWatches_OpenWatch_SendsNothingMoreAndOutlivesItsTimeoutUntilTheConnectionDrops()
    {
        var (started, clock) = await StartOnFakeClockAsync();
        await using var api = started;
        using var watch = await OpenWatchOfOnePodAsync(api, timeoutSeconds: 30);

        api.SilenceWatches();
        api.SetPodPhase("shop", "web", "Succeeded");
        clock.Advance(TimeSpan.FromSeconds(31));
        api.DropWatches();

        // Neither the change nor the clean end of the body at the timeout came before the connection broke.
        await Assert.ThrowsAnyAsync<IOException>(() => watch.ReadLineAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await api.WaitForOpenWatchCountAsync(0, timeout.Token);
    }

    [Fact]
    public async Task SilenceWatches_AWatchOpenedAfterwards_OnANewConnection_IsServed()
    {
        var (started, clock) = await StartOnFakeClockAsync();
        await using var api = started;
        using var silenced = await OpenWatchOfOnePodAsync(api, timeoutSeconds: 600);

        api.SilenceWatches();
        using var later = await WatchStream.OpenAsync(api, $"{AllPods}&resourceVersion={api.CurrentResourceVersion}");
        api.SetPodPhase("shop", "web", "Succeeded");

        await later.NextAsync("MODIFIED", "web");
    }

    [Fact]
    public async Task Watch_WithTimeoutSeconds_EndsTheStreamCleanlyWhenItElapses()
    {
        var (started, clock) = await StartOnFakeClockAsync();
        await using var api = started;
        using var watch = await OpenWatchOfOnePodAsync(api, timeoutSeconds: 30);

        clock.Advance(TimeSpan.FromSeconds(29));
        api.SetPodPhase("shop", "web", "Succeeded");
        await watch.NextAsync("MODIFIED", "web");
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(await watch.ReadLineAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await api.WaitForOpenWatchCountAsync(0, timeout.Token);
    }

    [Fact]
    public async Task Dispose_WithAnOpenWatch_EndsTheStreamCleanly()
    {
        var api = await FakeKubernetesApi.StartAsync();
        using var watch = await WatchStream.OpenAsync(api, AllPods);

        await api.DisposeAsync();

        Assert.Null(await watch.ReadLineAsync());
    }

    [Fact]
    public async Task Watch_WhenWatchDenied_Is403ButListStillWorks()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.Deny("watch", "pods");
        using var http = ApiHttp.Create(api);

        using var watch = await http.GetAsync(new Uri("/api/v1/pods?watch=true", UriKind.Relative));
        using var list = await http.GetAsync(new Uri("/api/v1/pods", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, watch.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods is forbidden: User \"system:serviceaccount:csi:openbao-csi-provider\" cannot watch resource \"pods\" in API group \"\" at the cluster scope","reason":"Forbidden","details":{"kind":"pods"},"code":403}""",
            await watch.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(0, api.OpenWatchCount);
    }

    [Fact]
    public async Task Watch_WhenOnlyListDenied_StillStreams()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.Deny("list", "pods");
        api.AddPod("shop", "web", "uid-web", "app");

        using var watch = await WatchStream.OpenAsync(api, AllPods);

        await watch.NextAsync("ADDED", "web");
    }

    [Theory]
    [InlineData("watch=false", false)]
    [InlineData("watch=0", false)]
    [InlineData("watch=1", true)]
    [InlineData("watch=TRUE", true)]
    [InlineData("watch=", true)]
    public async Task WatchParameter_WithAGoBooleanValue_SelectsWatchOrList(string parameter, bool watches)
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddPod("shop", "web", "uid-web", "app");

        using var stream = await WatchStream.OpenAsync(api, $"/api/v1/pods?{parameter}");
        var first = await stream.NextAsync();

        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal(watches ? "ADDED" : null, first["type"]?.GetValue<string>());
        Assert.Equal(watches ? null : "PodList", first["kind"]?.GetValue<string>());
        Assert.Equal(watches ? 1 : 0, api.OpenWatchCount);
    }

    [Theory]
    [InlineData("fieldSelector=spec.containers%3Dx", 400, "field label not supported: spec.containers")]
    [InlineData("timeoutSeconds=soon", 400, "strconv.ParseInt: parsing \"soon\": invalid syntax")]
    [InlineData("resourceVersion=-1", 500, "resourceVersion: Invalid value: \"-1\": strconv.ParseUint: parsing \"-1\": invalid syntax")]
    public async Task Watch_WithABadParameter_IsAnHttpErrorBeforeAnyStream(string parameter, int code, string message)
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        using var http = ApiHttp.Create(api);

        using var response = await http.GetAsync(new Uri($"{AllPods}&{parameter}", UriKind.Relative));

        Assert.Equal(code, (int)response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(message, status["message"]!.GetValue<string>());
        Assert.Equal(code, status["code"]!.GetValue<int>());
        Assert.Equal(0, api.OpenWatchCount);
    }

    [Fact]
    public async Task WaitForOpenWatchCount_WhenAWatchOpensLater_CompletesThen()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var opened = api.WaitForOpenWatchCountAsync(1, timeout.Token);
        Assert.False(opened.IsCompleted);

        using var watch = await WatchStream.OpenAsync(api, AllPods);

        await opened;
    }

    /// <summary>A watch of all pods with a timeout, past the ADDED event of its one pod, <c>shop/web</c>.</summary>
    private static async Task<WatchStream> OpenWatchOfOnePodAsync(FakeKubernetesApi api, int timeoutSeconds)
    {
        api.AddPod("shop", "web", "uid-web", "app");
        var watch = await WatchStream.OpenAsync(api, $"{AllPods}&timeoutSeconds={timeoutSeconds}");
        await watch.NextAsync("ADDED", "web");
        return watch;
    }

    /// <summary>A fake API server on a clock that only the test moves.</summary>
    private static async Task<(FakeKubernetesApi Api, FakeTimeProvider Clock)> StartOnFakeClockAsync()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        return (await FakeKubernetesApi.StartAsync(new FakeKubernetesApiOptions { TimeProvider = clock }), clock);
    }
}
