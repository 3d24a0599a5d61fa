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

        await EventuallyAsync(() => _harness.DatabaseLeases.Live == 1);
        Assert.Equal(1, _harness.Bao.GetTokenStatistics().TokensRevoked);
        Assert.Equal(1, _harness.CachedTokens);
    }

    [Fact]
    public async Task PodFinished_TokenAndLeasesRevoked()
    {
        await _harness.PollAsync(DynamicObjects, "uid-1", "app-1");

        _cluster.Api.SetPodPhase("shop", "app-1", "Succeeded");

        await EventuallyAsync(() => _harness.DatabaseLeases.Live == 0);
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
        _cluster.Api.Deny("watch", "pods");
        _cluster.Api.Deny("list", "pods");
        _cluster.Api.DropWatches();
        await EventuallyAsync(() => _cluster.Api.OpenWatchCount == 0);

        _cluster.Api.DeletePod("shop", "app-1");
        // Gone for good from the server's history too: only a fresh list can tell.
        _cluster.Api.CompactHistory();
        _cluster.Api.Allow("watch", "pods");
        _cluster.Api.Allow("list", "pods");

        // The watcher backs off on the provider's clock; move it until the relist has happened.
        await EventuallyAsync(() =>
        {
            _harness.Clock.Advance(TimeSpan.FromSeconds(5));
            return _harness.DatabaseLeases.Live == 1;
        });
        Assert.Equal(1, _harness.Bao.GetTokenStatistics().TokensRevoked);
    }

    [Fact]
    public async Task WatchExpired_ListsAgain_AndKeepsWatching()
    {
        await _harness.PollAsync(DynamicObjects, "uid-1", "app-1");
        _cluster.Api.CompactHistory();
        _cluster.Api.DropWatches();
        await EventuallyAsync(() =>
        {
            _harness.Clock.Advance(TimeSpan.FromSeconds(5));
            return _cluster.Api.OpenWatchCount == 1;
        });

        _cluster.Api.DeletePod("shop", "app-1");

        await EventuallyAsync(() => _harness.DatabaseLeases.Live == 0);
    }

    /// <summary>Waits, in real time, for the provider's background watch to act on the fake API server.</summary>
    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the provider did not react to the pod change in time");
            await Task.Delay(20);
        }
    }
}
