using Csi.Driver.Emulator;
using Grpc.Core;
using Kubernetes.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenBao.Csi.Provider.KubernetesApi;
using OpenBao.Csi.Provider.IntegrationTests.Infrastructure;
using OpenBao.Csi.Provider.V1Alpha1;
using File = System.IO.File;

namespace OpenBao.Csi.Provider.IntegrationTests.KubernetesApi;

/// <summary>Providers with a Kubernetes API: the TokenRequest fallback and the shared version key, end to end over the socket.</summary>
[Collection(ProviderCollection.Name)]
public sealed class KubernetesMountTests(ProviderFixture fixture) : IAsyncLifetime
{
    private FakeCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await FakeCluster.StartAsync();
        _cluster.Api.AddServiceAccount("shop", "app");
        fixture.Bao.TrustKubernetesSigningKey(_cluster.Api.TokenSigningPublicKeyPem);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private Task<ProviderProcess> StartProviderAsync() =>
        ProviderProcess.StartAsync(fixture.Logs, options =>
        {
            options.OpenBaoAddress = fixture.Bao.Address;
            options.Kubeconfig = _cluster.Kubeconfig;
            options.Environment = name => name == "POD_NAMESPACE" ? "csi" : null;
        });

    private DriverMount PodWithoutDriverToken() =>
        new DriverMount().WithParameter("roleName", ProviderFixture.ShopRole).WithParameter("objects", ProviderFixture.PasswordObject);

    [Fact]
    public async Task Mount_NoDriverToken_LogsInWithTokenRequestedForThePod()
    {
        await using var provider = await StartProviderAsync();
        var mount = PodWithoutDriverToken().WithParameter("roleName", ProviderFixture.ApiServerAudienceRole);

        var response = await provider.Client.MountAsync(mount.ToRequest());

        Assert.Equal(fixture.DbPassword, response.Files.Single().Contents.ToStringUtf8());
        var request = Assert.Single(_cluster.Api.TokenRequests);
        Assert.Equal((mount.PodName, mount.PodUid), (request.BoundName, request.BoundUid));
        // No audience in the SecretProviderClass: the API server's own, as the Go providers ask for, so roles
        // bound to it keep working after a migration (roles without an audience take any).
        Assert.Empty(request.Audiences);
    }

    [Fact]
    public async Task Mount_NoDriverTokenAndAudienceInSecretProviderClass_RequestsThatAudience()
    {
        await using var provider = await StartProviderAsync();
        var mount = PodWithoutDriverToken().WithParameter("audience", "custom").WithParameter("roleName", "custom-aud");

        var response = await provider.Client.MountAsync(mount.ToRequest());

        Assert.Equal(fixture.DbPassword, response.Files.Single().Contents.ToStringUtf8());
        Assert.Equal(["custom"], Assert.Single(_cluster.Api.TokenRequests).Audiences);
    }

    /// <summary>A provider watching the node's pods on <paramref name="clock"/>, with its own log: the fixture's holds other providers' pod watches.</summary>
    private async Task<ProviderProcess> StartWatchingAsync(CapturedLogs logs, TimeProvider clock)
    {
        var provider = await ProviderProcess.StartAsync(
            logs,
            options =>
            {
                options.OpenBaoAddress = fixture.Bao.Address;
                options.Kubeconfig = _cluster.Kubeconfig;
                options.NodeName = FakeKubernetesApi.DefaultNodeName;
                options.HmacSecretNamespace = "csi";
            },
            services => services.AddSingleton(clock));
        try
        {
            await _cluster.Api.WaitForOpenWatchCountAsync(1).WaitAsync(TimeSpan.FromSeconds(15));
            return provider;
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task PodWatchGoneSilent_TakenAsDeadWithoutBookmarks_AndTheResumedWatchReleasesTheDeletedPod()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new CapturedLogs();
        await using var provider = await StartWatchingAsync(logs, clock);
        var mount = fixture.ShopMount(ProviderFixture.PasswordObject);
        _cluster.Api.AddPod(mount.Namespace, mount.PodName, mount.PodUid, mount.ServiceAccount);
        await provider.Client.MountAsync(mount.ToRequest());

        _cluster.Api.SilenceWatches();
        _cluster.Api.DeletePod(mount.Namespace, mount.PodName);
        var released = logs.WaitForLineAsync(line => line.Contains($"Pod {mount.Namespace}/{mount.PodName} is gone (deleted)", StringComparison.Ordinal));
        // Three bookmarks missed: a live API server sends one a minute.
        clock.Advance(NodePodWatcher.SilenceLimit);

        var interrupted = await logs.WaitForLineAsync(line => line.Contains("Pod watch on node", StringComparison.Ordinal));
        Assert.Contains("sent no event or bookmark for 00:03:00", interrupted, StringComparison.Ordinal);
        Assert.Contains("resuming the watch", interrupted, StringComparison.Ordinal);
        await released;
    }

    [Fact]
    public async Task PodWatchCutShortByAProxy_WaitsOnTheClockBeforeAskingAgain()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new CapturedLogs();
        await using var provider = await StartWatchingAsync(logs, clock);
        _cluster.Api.CutNextWatchesShort(1);

        // A dropped watch is resumed at once; the one after it ends without an event, which must not be asked again at once.
        _cluster.Api.DropWatches();
        var interrupted = await logs.WaitForLineAsync(line => line.Contains("ended at once without an event", StringComparison.Ordinal));

        Assert.Contains("resuming the watch in 00:00:0", interrupted, StringComparison.Ordinal);
        Assert.DoesNotContain("resuming the watch in 00:00:00", interrupted, StringComparison.Ordinal);
        Assert.Equal(0, _cluster.Api.OpenWatchCount);
        clock.Advance(TimeSpan.FromSeconds(2));
        await _cluster.Api.WaitForOpenWatchCountAsync(1).WaitAsync(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task PodWatchSendingBookmarks_KeptOpenPastTheSilenceLimit()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new CapturedLogs();
        await using var provider = await StartWatchingAsync(logs, clock);

        // Four minutes in two steps: past the silence limit in all, within it between bookmarks (and short of any watch's timeout).
        for (var step = 1; step <= 2; step++)
        {
            clock.Advance(TimeSpan.FromMinutes(2));
            // A change elsewhere in the cluster: no event for this node, only a newer resourceVersion for its bookmark.
            _cluster.Api.AddPod("other", $"elsewhere-{step}", $"uid-elsewhere-{step}", "app", "node-2");
            _cluster.Api.SendBookmarks();
            var resourceVersion = _cluster.Api.CurrentResourceVersion;
            await logs.WaitForLineAsync(line => line.Contains($"current to resourceVersion {resourceVersion} (a bookmark)", StringComparison.Ordinal));
        }

        // A watch taken as silent would have logged so before it was resumed, and so before any bookmark on the resumed one.
        Assert.DoesNotContain(logs.Lines, line => line.Contains("Pod watch on node", StringComparison.Ordinal) && !line.Contains("(a bookmark)", StringComparison.Ordinal));
        Assert.Equal(1, _cluster.Api.OpenWatchCount);
    }

    [Fact]
    public async Task Mount_NoDriverTokenAndNoRbac_PermissionDeniedNamingThePermission()
    {
        _cluster.Api.Deny("create", "serviceaccounts/token");
        await using var provider = await StartProviderAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => provider.Client.MountAsync(PodWithoutDriverToken().ToRequest()).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("'create' on 'serviceaccounts/token'", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("tokenRequests for audience -default-audience (the SecretProviderClass sets none)", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoProviders_SameInputs_SameVersionsFromTheSharedKey()
    {
        await using var first = await StartProviderAsync();
        await using var second = await StartProviderAsync();
        var mount = fixture.ShopMount(ProviderFixture.PasswordObject);

        var fromFirst = await first.Client.MountAsync(mount.ToRequest());
        var fromSecond = await second.Client.MountAsync(mount.ToRequest());

        Assert.Equal(fromFirst.ObjectVersion, fromSecond.ObjectVersion);
        Assert.NotNull(_cluster.Api.GetSecret("csi", "openbao-csi-provider-hmac-key"));
    }

    [Fact]
    public async Task KeyFile_WinsOverTheSecret()
    {
        var keyFile = Path.Combine(_cluster.Directory, "version-key");
        await File.WriteAllBytesAsync(keyFile, new byte[32]);
        await using var provider = await ProviderProcess.StartAsync(fixture.Logs, options =>
        {
            options.OpenBaoAddress = fixture.Bao.Address;
            options.Kubeconfig = _cluster.Kubeconfig;
            options.Environment = name => name == "POD_NAMESPACE" ? "csi" : null;
            options.HmacKeyFile = keyFile;
        });

        await provider.Client.MountAsync(fixture.ShopMount(ProviderFixture.PasswordObject).ToRequest());

        Assert.Null(_cluster.Api.GetSecret("csi", "openbao-csi-provider-hmac-key"));
        Assert.Equal(0, _cluster.Api.CountRequests("GET", "/api/v1/namespaces/csi/secrets"));
    }

    [Fact]
    public async Task ProviderWithoutKubernetes_MissingToken_SaysKubernetesIsUnavailable()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Provider.Client.MountAsync(PodWithoutDriverToken().ToRequest()).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("Kubernetes API unavailable", error.Status.Detail, StringComparison.Ordinal);
    }
}
