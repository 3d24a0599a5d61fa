using Kubernetes.Emulator;
using Microsoft.Extensions.Logging.Abstractions;
using OpenBao.Csi.Provider.Versioning;

namespace OpenBao.Csi.Provider.IntegrationTests.KubernetesApi;

/// <summary>The shared version key Secret: created once, raced safely, read once per process.</summary>
public sealed class VersionKeySecretTests : IAsyncLifetime
{
    private const string Namespace = "csi";
    private const string Name = "openbao-csi-provider-hmac-key";
    private FakeCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await FakeCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private KubernetesSecretVersionKeySource Source() =>
        new(_cluster.Client, Namespace, Name, NullLogger<KubernetesSecretVersionKeySource>.Instance);

    [Fact]
    public async Task GetKeyAsync_NoSecret_CreatesImmutableRandomKey()
    {
        var key = await Source().GetKeyAsync(default);

        var secret = _cluster.Api.GetSecret(Namespace, Name);
        Assert.NotNull(secret);
        Assert.True(secret.Immutable);
        Assert.Equal(32, key.Length);
        Assert.Equal(key, secret.Data["key"]);
    }

    [Fact]
    public async Task GetKeyAsync_ExistingSecret_UsesItsKey()
    {
        var existing = Enumerable.Range(0, 32).Select(i => (byte)(255 - i)).ToArray();
        _cluster.Api.AddSecret(Namespace, Name, new Dictionary<string, byte[]> { ["key"] = existing }, immutable: true);

        Assert.Equal(existing, await Source().GetKeyAsync(default));
        Assert.Equal(0, _cluster.Api.CountRequests("POST", "/api/v1/namespaces/csi/secrets"));
    }

    [Fact]
    public async Task GetKeyAsync_TwoProvidersRacing_ConvergeOnOneKey()
    {
        // Both read 404 and both create: the first create is held until the second arrives.
        _cluster.Api.RaceNextSecretCreates(2);
        var first = Source();
        var second = Source();

        var keys = await Task.WhenAll(first.GetKeyAsync(default).AsTask(), second.GetKeyAsync(default).AsTask());

        Assert.Equal(keys[0], keys[1]);
        Assert.Equal(2, _cluster.Api.CountRequests("POST", "/api/v1/namespaces/csi/secrets"));
        Assert.Equal(_cluster.Api.GetSecretData(Namespace, Name)!["key"], keys[0]);
    }

    [Fact]
    public async Task GetKeyAsync_Repeated_ReadsTheApiOnce()
    {
        var source = Source();

        for (var i = 0; i < 5; i++)
        {
            await source.GetKeyAsync(default);
        }

        Assert.Equal(1, _cluster.Api.CountRequests("GET", $"/api/v1/namespaces/csi/secrets/{Name}"));
    }

    [Fact]
    public async Task GetKeyAsync_SecretWithoutUsableKey_SaysToDeleteIt()
    {
        _cluster.Api.AddSecret(Namespace, Name, new Dictionary<string, byte[]> { ["other"] = new byte[32] });

        var error = await Assert.ThrowsAsync<VersionKeyException>(() => Source().GetKeyAsync(default).AsTask());

        Assert.Contains($"kubectl -n {Namespace} delete secret {Name}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetKeyAsync_RbacRefusal_NamesTheRole()
    {
        _cluster.Api.Deny("get", "secrets");

        var error = await Assert.ThrowsAsync<VersionKeyException>(() => Source().GetKeyAsync(default).AsTask());

        Assert.Contains("its Role needs 'get' on that Secret and 'create' on secrets", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetKeyAsync_NamespaceBeingDeleted_SaysSo_WithoutARoleToChange()
    {
        _cluster.Api.TerminateNamespace(Namespace);

        var error = await Assert.ThrowsAsync<VersionKeyException>(() => Source().GetKeyAsync(default).AsTask());

        Assert.Contains($"cannot be created: namespace {Namespace} is being deleted", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Role needs", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A 409 that is not AlreadyExists created nothing: there is no winner's key to read back.</summary>
    [Fact]
    public async Task GetKeyAsync_CreateRefusedByAQuotaConflict_SaysSoNotThatAnotherPodWon()
    {
        _cluster.Api.RefuseNextRequests(1, RequestRefusal.QuotaConflict, "/api/v1/namespaces/csi/secrets");

        var error = await Assert.ThrowsAsync<VersionKeyException>(() => Source().GetKeyAsync(default).AsTask());

        Assert.Contains("failed with HTTP 409: Operation cannot be fulfilled on resourcequotas \"compute\"", error.Message, StringComparison.Ordinal);
        Assert.Null(_cluster.Api.GetSecretData(Namespace, Name));
    }

    [Fact]
    public async Task GetKeyAsync_FailureIsNotCached()
    {
        _cluster.Api.Deny("get", "secrets");
        var source = Source();
        await Assert.ThrowsAsync<VersionKeyException>(() => source.GetKeyAsync(default).AsTask());

        _cluster.Api.Allow("get", "secrets");

        Assert.Equal(32, (await source.GetKeyAsync(default)).Length);
    }
}
