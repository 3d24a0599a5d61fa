using OpenBao.Emulator;
using static OpenBao.Csi.Provider.IntegrationTests.Rotation.RotationHarness;

namespace OpenBao.Csi.Provider.IntegrationTests.Rotation;

/// <summary>Without a Kubernetes API: idle pods' tokens are revoked, and nothing the cache lets go of keeps its leases.</summary>
public sealed class RevocationTests
{
    [Fact]
    public async Task IdlePod_WithoutKubernetesApi_TokenAndLeasesRevoked()
    {
        await using var harness = await StartAsync();
        await harness.PollAsync(DynamicObjects);

        await harness.AdvanceAsync(TimeSpan.FromMinutes(9));
        Assert.Equal(1, harness.DatabaseLeases.Live);
        await harness.AdvanceAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(0, harness.DatabaseLeases.Live);
        Assert.Equal(1, harness.Bao.GetTokenStatistics().TokensRevoked);
        Assert.Equal(0, harness.CachedTokens);
        Assert.Equal(0, harness.CachedSecrets);
    }

    [Fact]
    public async Task IdlePodWithABatchToken_WhichCannotBeRevoked_ReleasedWithoutAWarning()
    {
        await using var harness = await StartAsync(role: new KubernetesRole(["app"], ["shop"], ["shop"], TimeSpan.FromMinutes(20), TokenType: "batch", Audience: "openbao"));
        await harness.PollAsync(DynamicObjects);

        await harness.AdvanceAsync(TimeSpan.FromMinutes(11));

        Assert.Equal(0, harness.CachedTokens);
        Assert.Equal(0, harness.Bao.GetTokenStatistics().TokensRevoked);
        Assert.Contains(harness.Logs.Lines, line => line.Contains("is a batch token, which OpenBao cannot revoke", StringComparison.Ordinal));
        Assert.DoesNotContain(harness.Logs.Lines, line => line.Contains("Could not revoke", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PolledPod_IsNeverIdle()
    {
        await using var harness = await StartAsync();
        for (var poll = 0; poll < 10; poll++)
        {
            await harness.PollAsync(DynamicObjects);
            await harness.AdvanceAsync(TimeSpan.FromMinutes(2));
        }

        Assert.Equal(1, harness.DatabaseLeases.Live);
        Assert.Equal(0, harness.Bao.GetTokenStatistics().TokensRevoked);
    }

    [Fact]
    public async Task RevocationTurnedOff_IdleTokenIsDroppedButLeasesLive()
    {
        await using var harness = await StartAsync(configure: options => options.RevokeTokens = false);
        await harness.PollAsync(DynamicObjects);

        await harness.AdvanceAsync(TimeSpan.FromMinutes(11));

        Assert.Equal(0, harness.CachedTokens);
        Assert.Equal(1, harness.DatabaseLeases.Live);
        Assert.Equal(0, harness.Bao.GetTokenStatistics().TokensRevoked);
    }

    [Fact]
    public async Task FullCache_EvictedPodsAreRevoked_CachesStayBounded()
    {
        await using var harness = await StartAsync(configure: options => options.CacheSize = 20);

        for (var pod = 0; pod < 100; pod++)
        {
            await harness.PollAsync(DynamicObjects, podUid: $"uid-{pod}", podName: $"app-{pod}");
        }

        await harness.AdvanceAsync(TimeSpan.Zero);
        Assert.Equal(20, harness.CachedTokens);
        Assert.Equal(20, harness.CachedSecrets);
        Assert.Equal(80, harness.Bao.GetTokenStatistics().TokensRevoked);
        Assert.Equal(20, harness.DatabaseLeases.Live);
    }
}
