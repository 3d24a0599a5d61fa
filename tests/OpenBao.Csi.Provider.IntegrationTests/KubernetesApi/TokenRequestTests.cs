using Kubernetes.Emulator;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.KubernetesApi;
using OpenBao.Csi.Provider.Mounting;
using OpenBao.Csi.Provider.Testing;

namespace OpenBao.Csi.Provider.IntegrationTests.KubernetesApi;

/// <summary>The TokenRequest fallback against a fake API server speaking the real REST paths and Status bodies.</summary>
public sealed class TokenRequestTests : IAsyncLifetime
{
    private static readonly PodIdentity Pod = new("shop", "app", "app-7d9f8", "5c0e6b1a-2f43-4f7e-9a7c-0b8d1e6f4a21");
    private FakeCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await FakeCluster.StartAsync();
        _cluster.Api.AddServiceAccount("shop", "app");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task RequestAsync_BindsTokenToPodWithAudienceAndShortExpiry()
    {
        var token = await new KubernetesTokenRequester(_cluster.Client).RequestAsync(Pod, "openbao", default);

        var record = Assert.Single(_cluster.Api.TokenRequests);
        Assert.Equal(("shop", "app"), (record.Namespace, record.ServiceAccount));
        Assert.Equal(["openbao"], record.Audiences);
        Assert.InRange(record.ExpirationSeconds ?? 0, 600, 900);
        Assert.Equal(("Pod", "app-7d9f8", Pod.Uid), (record.BoundKind, record.BoundName, record.BoundUid));
        Assert.Equal(3, token.Split('.').Length);
    }

    [Fact]
    public async Task RequestAsync_NoAudience_AsksForTheApiServersDefaultAudiences()
    {
        await new KubernetesTokenRequester(_cluster.Client).RequestAsync(Pod, null, default);

        Assert.Empty(Assert.Single(_cluster.Api.TokenRequests).Audiences);
    }

    [Fact]
    public async Task RequestAsync_RbacRefusal_NamesTheMissingPermission()
    {
        _cluster.Api.Deny("create", "serviceaccounts/token");

        var error = await Assert.ThrowsAsync<ServiceAccountTokenException>(() =>
            new KubernetesTokenRequester(_cluster.Client).RequestAsync(Pod, "openbao", default));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.ApiStatus);
        Assert.Contains("grant its service account 'create' on 'serviceaccounts/token'", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot create resource \"serviceaccounts/token\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestAsync_NamespaceBeingDeleted_SaysSo_WithoutAPermissionToGrant()
    {
        _cluster.Api.TerminateNamespace("shop");

        var error = await Assert.ThrowsAsync<ServiceAccountTokenException>(() =>
            new KubernetesTokenRequester(_cluster.Client).RequestAsync(Pod, "openbao", default));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.ApiStatus);
        Assert.StartsWith("namespace shop is being deleted, and the Kubernetes API creates no more tokens in it (", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("grant", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RequestRefusal.TooManyRequests)]
    [InlineData(RequestRefusal.ShuttingDown)]
    public async Task RequestAsync_RefusedWithRetryAfter_AskedAgainOnceThatHasPassed(RequestRefusal refusal)
    {
        var clock = new WatchedClock(DateTimeOffset.UtcNow);
        var client = KubernetesConnection.Connect(_cluster.Kubeconfig, namespaceFlag: null, _ => null, clock).Client!;
        _cluster.Api.RefuseNextRequests(1, refusal);

        var requesting = new KubernetesTokenRequester(client).RequestAsync(Pod, "openbao", default);
        Assert.True(await clock.TimerCreated.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.False(requesting.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(3, (await requesting).Split('.').Length);
        Assert.Equal(2, _cluster.Api.CountRequests("POST", "/api/v1/namespaces/shop/serviceaccounts/app/token"));
    }

    [Fact]
    public async Task RequestAsync_UnknownServiceAccount_SaysSo()
    {
        var error = await Assert.ThrowsAsync<ServiceAccountTokenException>(() =>
            new KubernetesTokenRequester(_cluster.Client).RequestAsync(Pod with { ServiceAccountName = "ghost" }, "openbao", default));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.ApiStatus);
        Assert.Contains("service account shop/ghost or pod app-7d9f8 does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestAsync_PodWithoutUid_RefusesToMintUnboundToken()
    {
        var error = await Assert.ThrowsAsync<ServiceAccountTokenException>(() =>
            new KubernetesTokenRequester(_cluster.Client).RequestAsync(Pod with { Uid = null }, "openbao", default));

        Assert.Contains("did not pass the pod's name and uid", error.Message, StringComparison.Ordinal);
        Assert.Empty(_cluster.Api.TokenRequests);
    }
}
