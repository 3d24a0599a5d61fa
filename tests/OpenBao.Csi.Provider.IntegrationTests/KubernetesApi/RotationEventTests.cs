using Kubernetes.Emulator;
using System.Threading.Channels;
using Csi.Driver.Emulator;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using OpenBao.Csi.Provider.Hosting;
using OpenBao.Csi.Provider.IntegrationTests.Infrastructure;
using OpenBao.Csi.Provider.KubernetesApi;
using OpenBao.Csi.Provider.RotationEvents;
using OpenBao.Emulator;

namespace OpenBao.Csi.Provider.IntegrationTests.KubernetesApi;

/// <summary>
/// Rotation Events end to end: polls over the socket, Events through the provider's own Kubernetes
/// client into the Kubernetes emulator, which keeps them as the API server would.
/// </summary>
public sealed class RotationEventTests : IAsyncLifetime
{
    private readonly SecretWitness _witness = new();
    private readonly CapturedLogs _logs = new();
    private FakeCluster _cluster = null!;
    private OpenBaoEmulator _bao = null!;

    public async Task InitializeAsync()
    {
        _cluster = await FakeCluster.StartAsync();
        _bao = await OpenBaoEmulator.StartAsync();
        ProviderFixture.SeedShopPassword(_bao, _witness.Remember($"events-{Guid.NewGuid():N}"));
    }

    public async Task DisposeAsync()
    {
        await _bao.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task FailingPolls_OneWarningCounted_ThenOneRecovery()
    {
        var posted = NewSignallingSink();
        await using var provider = await StartProviderAsync(posted);
        var pod = Pod();

        await provider.Client.MountAsync(pod.ToRequest());
        _bao.Seal();
        var sealedPoll = await Assert.ThrowsAsync<RpcException>(() => provider.Client.MountAsync(pod.ToRequest()).ResponseAsync);
        await posted.NextAsync();
        var afterOne = Assert.Single(_cluster.Api.Events("shop"));
        // Within the aggregation interval: counted, written when the mount recovers.
        await Assert.ThrowsAsync<RpcException>(() => provider.Client.MountAsync(pod.ToRequest()).ResponseAsync);
        _bao.Unseal();
        await provider.Client.MountAsync(pod.ToRequest());
        await posted.NextAsync();
        await posted.NextAsync();

        var events = _cluster.Api.Events("shop");
        var warning = Assert.Single(events, e => e.Reason == RotationEventRecorder.FailedReason);
        var recovered = Assert.Single(events, e => e.Reason == RotationEventRecorder.RecoveredReason);
        Assert.Equal(StatusCode.Aborted, sealedPoll.StatusCode);
        Assert.Equal((afterOne.Name, 1), (warning.Name, afterOne.Count));
        Assert.Equal(("Warning", 2), (warning.Type, warning.Count));
        Assert.Equal(("Pod", pod.PodName, "shop", pod.PodUid), (warning.InvolvedObject.Kind, warning.InvolvedObject.Name, warning.InvolvedObject.Namespace, warning.InvolvedObject.Uid));
        Assert.StartsWith("SecretProviderClass app-secrets: Aborted: ", warning.Message, StringComparison.Ordinal);
        Assert.Equal(("openbao-csi-provider", "node-1"), (warning.SourceComponent, warning.SourceHost));
        Assert.Equal("Normal", recovered.Type);
        Assert.Contains("after 2 failed polls", recovered.Message, StringComparison.Ordinal);
        Assert.Equal(1, _cluster.Api.CountEventRequests("patch", "shop"));
        Assert.Empty(_witness.FindLeaks(events.Select(e => e.Message)));
    }

    /// <summary>
    /// Drivers since v1.6 send no current versions, so after a provider restart only the pod watch can tell a poll
    /// from a first mount: a pod cannot be running before its volumes mounted.
    /// </summary>
    [Fact]
    public async Task RunningPodThisProcessNeverServed_FailingPollPostsAWarning()
    {
        var posted = NewSignallingSink();
        var running = Pod();
        var starting = Pod();
        _cluster.Api.AddPod(running.Namespace, running.PodName, running.PodUid, running.ServiceAccount);
        _cluster.Api.AddPod(starting.Namespace, starting.PodName, starting.PodUid, starting.ServiceAccount, nodeName: null);
        await using var provider = await StartProviderAsync(
            services => services.AddSingleton<IPodEventSink>(posted),
            options => options.NodeName = FakeKubernetesApi.DefaultNodeName);
        await _cluster.Api.WaitForOpenWatchCountAsync(1).WaitAsync(TimeSpan.FromSeconds(15));

        _bao.Seal();
        await Assert.ThrowsAsync<RpcException>(() => provider.Client.MountAsync(starting.ToRequest()).ResponseAsync);
        await Assert.ThrowsAsync<RpcException>(() => provider.Client.MountAsync(running.ToRequest()).ResponseAsync);
        await posted.NextAsync();

        var warning = Assert.Single(_cluster.Api.Events("shop"));
        Assert.Equal((RotationEventRecorder.FailedReason, running.PodUid), (warning.Reason, warning.InvolvedObject.Uid));
    }

    [Fact]
    public async Task EventsForbidden_MountsUnaffected_WarningNamesTheMissingPermission()
    {
        _cluster.Api.Deny("create", "events");
        var posted = NewSignallingSink();
        await using var provider = await StartProviderAsync(posted);
        var pod = Pod();

        await provider.Client.MountAsync(pod.ToRequest());
        _bao.Seal();
        var error = await Assert.ThrowsAsync<RpcException>(() => provider.Client.MountAsync(pod.ToRequest()).ResponseAsync);
        var refusal = await posted.NextAsync();
        var warning = await _logs.WaitForLineAsync(line => line.Contains("Could not post Event SecretRotationFailed on pod shop/", StringComparison.Ordinal));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Empty(_cluster.Api.Events("shop"));
        Assert.Contains("grant the provider's service account 'create' on 'events'", refusal, StringComparison.Ordinal);
        Assert.StartsWith("Warning ", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NamespaceBeingDeleted_EventSkippedQuietly_NoRbacHint()
    {
        var posted = NewSignallingSink();
        await using var provider = await StartProviderAsync(posted);
        var pod = Pod();
        await provider.Client.MountAsync(pod.ToRequest());

        // Its pods are polled until they are gone; the API refuses new content there.
        _cluster.Api.TerminateNamespace("shop");
        _bao.Seal();
        await Assert.ThrowsAsync<RpcException>(() => provider.Client.MountAsync(pod.ToRequest()).ResponseAsync);
        var refusal = await posted.NextAsync();
        var skipped = await _logs.WaitForLineAsync(line => line.Contains("Skipped Event SecretRotationFailed on pod shop/", StringComparison.Ordinal));

        Assert.Empty(_cluster.Api.Events("shop"));
        Assert.Contains("because it is being terminated", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("grant", refusal, StringComparison.Ordinal);
        Assert.StartsWith("Debug ", skipped, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Lines, line => line.Contains("Could not post Event", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateAsync_SameEventStoredByAnEarlierAttempt_TakenAsPosted()
    {
        var sink = new KubernetesPodEventSink(_cluster.Client, "node-1");
        var now = DateTimeOffset.UtcNow;
        var podEvent = new PodEvent("app-1.rotation-1", "shop", "app-1", "uid-1", "Warning", "SecretRotationFailed", "sealed", 1, now, now);

        await sink.CreateAsync(podEvent, default);
        // What a create retried after a 5xx gets when the first attempt was stored: 409 AlreadyExists.
        await sink.CreateAsync(podEvent, default);

        Assert.Single(_cluster.Api.Events("shop"));
    }

    /// <summary>A quota's 409 Conflict stored nothing: taking it for AlreadyExists would log an Event nobody can see as posted.</summary>
    [Fact]
    public async Task CreateAsync_RefusedByAQuotaConflict_IsAFailure()
    {
        var sink = new KubernetesPodEventSink(_cluster.Client, "node-1");
        var now = DateTimeOffset.UtcNow;
        var podEvent = new PodEvent("app-1.rotation-2", "shop", "app-1", "uid-1", "Warning", "SecretRotationFailed", "sealed", 1, now, now);
        _cluster.Api.RefuseNextRequests(1, RequestRefusal.QuotaConflict, "/api/v1/namespaces/shop/events");

        var error = await Assert.ThrowsAsync<PodEventException>(() => sink.CreateAsync(podEvent, default));

        Assert.Contains("(HTTP 409): Operation cannot be fulfilled on resourcequotas", error.Message, StringComparison.Ordinal);
        Assert.Empty(_cluster.Api.Events("shop"));
    }

    [Fact]
    public async Task EmitEventsOff_NoSinkAndNoEventRequests()
    {
        await using var provider = await StartProviderAsync(configure: options => options.EmitEvents = false);
        var pod = Pod();

        await provider.Client.MountAsync(pod.ToRequest());
        _bao.Seal();
        await Assert.ThrowsAsync<RpcException>(() => provider.Client.MountAsync(pod.ToRequest()).ResponseAsync);

        Assert.Null(provider.Services.GetService<IPodEventSink>());
        Assert.Equal(0, _cluster.Api.CountEventRequests("create"));
    }

    private SignallingSink NewSignallingSink() => new(new KubernetesPodEventSink(_cluster.Client, "node-1"));

    private Task<ProviderProcess> StartProviderAsync(IPodEventSink sink) => StartProviderAsync(services => services.AddSingleton(sink));

    private Task<ProviderProcess> StartProviderAsync(Action<IServiceCollection>? services = null, Action<ProviderOptions>? configure = null) =>
        ProviderProcess.StartAsync(
            _logs,
            options =>
            {
                options.OpenBaoAddress = _bao.Address;
                options.Kubeconfig = _cluster.Kubeconfig;
                options.Environment = name => name == "POD_NAMESPACE" ? "csi" : null;
                configure?.Invoke(options);
            },
            services);

    private DriverMount Pod()
    {
        var pod = new DriverMount { PodName = $"app-{Guid.NewGuid():N}"[..12] }
            .WithParameter("roleName", ProviderFixture.ShopRole).WithParameter("objects", ProviderFixture.PasswordObject);
        pod.Tokens["openbao"] = _witness.Remember(_bao.Issuer.Mint("shop", "app", ["openbao"], TimeSpan.FromMinutes(10)));
        return pod;
    }

    /// <summary>The provider's real sink, telling the test when each post has reached the API server (or been refused).</summary>
    private sealed class SignallingSink(IPodEventSink inner) : IPodEventSink
    {
        private readonly Channel<string> _done = Channel.CreateUnbounded<string>();

        public async Task<string> NextAsync() => await _done.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        public Task CreateAsync(PodEvent podEvent, CancellationToken cancellationToken) =>
            SignalAsync(() => inner.CreateAsync(podEvent, cancellationToken));

        public async Task<bool> AggregateAsync(PodEvent podEvent, CancellationToken cancellationToken)
        {
            var exists = false;
            await SignalAsync(async () => exists = await inner.AggregateAsync(podEvent, cancellationToken));
            return exists;
        }

        private async Task SignalAsync(Func<Task> post)
        {
            try
            {
                await post();
                _done.Writer.TryWrite("posted");
            }
            catch (Exception ex)
            {
                _done.Writer.TryWrite(ex.Message);
                throw;
            }
        }
    }
}
