using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OpenBao.Csi.Provider.IntegrationTests.KubernetesApi;
using static OpenBao.Csi.Provider.IntegrationTests.Rotation.RotationHarness;

namespace OpenBao.Csi.Provider.IntegrationTests.Rotation;

/// <summary>The node's pod watch against the fake API server: deleted or finished pods lose their token and leases.</summary>
public sealed class PodWatchTests : IAsyncLifetime
{
    private const string Node = "node-1";

    private FakeCluster _cluster = null!;
    private RotationHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _cluster = await FakeCluster.StartAsync();
        _cluster.Api.AddPod("shop", "app-1", "uid-1", "app", Node);
        _cluster.Api.AddPod("shop", "app-2", "uid-2", "app", Node);
        _harness = await StartAsync(configure: options =>
        {
            options.Kubeconfig = _cluster.Kubeconfig;
            options.NodeName = Node;
            options.HmacSecretNamespace = "csi";
        });
        await _cluster.Api.WaitForOpenWatchCountAsync(1).WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task PodDeleted_TokenAndLeasesRevoked_OtherPodUntouched()
    {
        await _harness.PollAsync(DynamicObjects, "uid-1", "app-1");
        await _harness.PollAsync(DynamicObjects, "uid-2", "app-2");

        _cluster.Api.DeletePod("shop", "app-1");
        await _harness.PodGoneAsync("uid-1");

        Assert.Equal(1, _harness.DatabaseLeases.Live);
        Assert.Equal(1, _harness.Bao.GetTokenStatistics().TokensRevoked);
        Assert.Equal(1, _harness.CachedTokens);
    }

    [Fact]
    public async Task PodFinished_TokenAndLeasesRevoked()
    {
        await _harness.PollAsync(DynamicObjects, "uid-1", "app-1");

        _cluster.Api.SetPodPhase("shop", "app-1", "Succeeded");
        await _harness.PodGoneAsync("uid-1");

        Assert.Equal(0, _harness.DatabaseLeases.Live);
    }

    [Fact]
    public async Task IdlePodThatStillRuns_KeepsItsCredentials()
    {
        await _harness.PollAsync(DynamicObjects, "uid-1", "app-1");

        await _harness.AdvanceAsync(TimeSpan.FromMinutes(15));

        Assert.Equal(1, _harness.DatabaseLeases.Live);
        Assert.Equal(0, _harness.Bao.GetTokenStatistics().TokensRevoked);
    }

    [Fact]
    public async Task PodDeletedWhileTheWatchWasDown_RevokedOnceTheListSeesIt()
    {
        await _harness.PollAsync(DynamicObjects, "uid-1", "app-1");
        await _harness.PollAsync(DynamicObjects, "uid-2", "app-2");
        await TakeTheWatchDownAsync();

        _cluster.Api.DeletePod("shop", "app-1");
        // Gone for good from the server's history too: only a fresh list can tell.
        _cluster.Api.CompactHistory();
        BringTheWatchBack();
        await _harness.PodGoneAsync("uid-1");

        Assert.Equal(1, _harness.DatabaseLeases.Live);
        Assert.Equal(1, _harness.Bao.GetTokenStatistics().TokensRevoked);
    }

    [Fact]
    public async Task WatchDropped_ListsAgain_AndKeepsWatching()
    {
        await _harness.PollAsync(DynamicObjects, "uid-1", "app-1");
        await TakeTheWatchDownAsync();
        _cluster.Api.CompactHistory();
        BringTheWatchBack();
        await _cluster.Api.WaitForOpenWatchCountAsync(1).WaitAsync(TimeSpan.FromSeconds(15));

        _cluster.Api.DeletePod("shop", "app-1");
        await _harness.PodGoneAsync("uid-1");

        Assert.Equal(0, _harness.DatabaseLeases.Live);
    }

    [Fact]
    public async Task WatchDropped_ResumesWhereItWas_AndTheReplayedDeletionReleasesThePod()
    {
        var interruptions = new ConcurrentQueue<string>();
        var meters = _harness.Provider.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listening) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == "openbao_csi.pod_watch.interruptions")
                {
                    listening.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            interruptions.Enqueue(string.Join(",", tags.ToArray().Select(tag => $"{tag.Key}={tag.Value}"))));
        listener.Start();
        await _harness.PollAsync(DynamicObjects, "uid-1", "app-1");
        // The deletion happens on a connection gone dead, so the open watch never delivers it; only the history
        // a resumed watch replays does (a list would find the pod gone too, which the log tells apart).
        _cluster.Api.SilenceWatches();
        _cluster.Api.DeletePod("shop", "app-1");
        _cluster.Api.DropWatches();
        await _harness.PodGoneAsync("uid-1");

        await _harness.Logs.WaitForLineAsync(line => line.Contains("Pod shop/app-1 is gone (deleted)", StringComparison.Ordinal)).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Contains(_harness.Logs.Lines, line => line.Contains("; resuming the watch in", StringComparison.Ordinal));
        Assert.DoesNotContain(_harness.Logs.Lines, line => line.Contains("; listing again in", StringComparison.Ordinal));
        Assert.Contains("reason=failed,next=resume", interruptions);
        Assert.DoesNotContain(interruptions, tags => tags.EndsWith("next=list", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListFromAnApiServerAheadOfThisOnesWatchCache_WatchTooLarge_ListsAgainAtOnce()
    {
        await _harness.PollAsync(DynamicObjects, "uid-1", "app-1");
        // The next list comes from another API server that has seen more changes; a watch here cannot start from it.
        _cluster.Api.AnswerNextPodListsAhead(1, by: 5);
        _cluster.Api.CompactHistory();
        _cluster.Api.DropWatches();
        await _cluster.Api.WaitForWatchesAheadAsync(1).WaitAsync(TimeSpan.FromSeconds(15));

        // After its 3 s wait the server ends that watch with the 504 ResourceVersionTooLarge ERROR event.
        await _harness.Logs.WaitForLineAsync(line => line.Contains("Too large resource version", StringComparison.Ordinal)).WaitAsync(TimeSpan.FromSeconds(15));
        await _cluster.Api.WaitForOpenWatchCountAsync(1).WaitAsync(TimeSpan.FromSeconds(15));
        _cluster.Api.DeletePod("shop", "app-1");
        await _harness.PodGoneAsync("uid-1");

        var tooLarge = Assert.Single(_harness.Logs.Lines, line => line.Contains("Too large resource version", StringComparison.Ordinal));
        Assert.Contains("; listing again in", tooLarge, StringComparison.Ordinal);
    }

    /// <summary>Drops the provider's watch and keeps it from listing or watching again until <see cref="BringTheWatchBack"/>.</summary>
    private async Task TakeTheWatchDownAsync()
    {
        _cluster.Api.Deny("watch", "pods");
        _cluster.Api.Deny("list", "pods");
        _cluster.Api.DropWatches();
        await _cluster.Api.WaitForOpenWatchCountAsync(0).WaitAsync(TimeSpan.FromSeconds(15));
    }

    private void BringTheWatchBack()
    {
        _cluster.Api.Allow("watch", "pods");
        _cluster.Api.Allow("list", "pods");
    }
}
