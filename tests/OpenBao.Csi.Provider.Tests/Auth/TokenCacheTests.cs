using Microsoft.Extensions.Time.Testing;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.Fetching;
using OpenBao.Csi.Provider.Renewal;
using OpenBao.Csi.Provider.OpenBao;

namespace OpenBao.Csi.Provider.Tests.Auth;

public sealed class TokenCacheTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingRetirement _released = new();
    private int _logins;

    private static OpenBaoClient Client { get; } = new(
        new HttpMessageInvoker(new SocketsHttpHandler()),
        new OpenBaoConnection(new Uri("https://bao:8200"), null, new OpenBaoTlsSettings()),
        new OpenBaoClientSettings(TimeSpan.FromSeconds(1)),
        TestMetrics.Unobserved,
        TimeProvider.System);

    private TokenCache NewCache(int capacity) => new(capacity, 2.0 / 3.0, _time, _released, TestMetrics.Unobserved);

    private static TokenCacheKey Key(string pod = "uid-1", string role = "app") =>
        new("https://bao:8200/", null, "kubernetes", role, "openbao", "shop", "app", pod, "app-1");

    private Func<Task<OpenBaoToken>> Login(TimeSpan ttl) => () =>
    {
        var n = Interlocked.Increment(ref _logins);
        return Task.FromResult(new OpenBaoToken($"s.token{n}", _time.GetUtcNow(), ttl, true));
    };

    [Fact]
    public async Task GetAsync_Repeated_LogsInOnce()
    {
        var cache = NewCache(10);

        var first = await cache.GetAsync(Key(), Client, Login(TimeSpan.FromMinutes(20)), default);
        var second = await cache.GetAsync(Key(), Client, Login(TimeSpan.FromMinutes(20)), default);

        Assert.Same(first, second);
        Assert.Equal(1, _logins);
    }

    [Fact]
    public async Task GetAsync_NearExpiry_LogsInAgainBeforeTtlRunsOut()
    {
        var cache = NewCache(10);
        var first = await cache.GetAsync(Key(), Client, Login(TimeSpan.FromMinutes(20)), default);

        _time.Advance(TimeSpan.FromMinutes(17));
        var stillFresh = await cache.GetAsync(Key(), Client, Login(TimeSpan.FromMinutes(20)), default);
        _time.Advance(TimeSpan.FromMinutes(1.5));
        var replaced = await cache.GetAsync(Key(), Client, Login(TimeSpan.FromMinutes(20)), default);

        Assert.Same(first, stillFresh);
        Assert.NotSame(first, replaced);
        Assert.Equal(2, _logins);
    }

    [Fact]
    public async Task GetAsync_ZeroTtl_NeverExpires()
    {
        var cache = NewCache(10);
        var first = await cache.GetAsync(Key(), Client, Login(TimeSpan.Zero), default);

        _time.Advance(TimeSpan.FromDays(400));

        Assert.Same(first, await cache.GetAsync(Key(), Client, Login(TimeSpan.Zero), default));
    }

    [Fact]
    public async Task GetAsync_DifferentKeys_DoNotShare()
    {
        var cache = NewCache(10);

        var a = await cache.GetAsync(Key("uid-1"), Client, Login(TimeSpan.FromMinutes(20)), default);
        var b = await cache.GetAsync(Key("uid-2"), Client, Login(TimeSpan.FromMinutes(20)), default);
        var c = await cache.GetAsync(Key("uid-1", role: "other"), Client, Login(TimeSpan.FromMinutes(20)), default);

        Assert.Equal(3, new[] { a.Token.ClientToken, b.Token.ClientToken, c.Token.ClientToken }.Distinct().Count());
    }

    [Fact]
    public async Task GetAsync_Concurrent_ShareOneLogin()
    {
        var cache = NewCache(10);
        var gate = new TaskCompletionSource();
        Func<Task<OpenBaoToken>> slowLogin = async () =>
        {
            Interlocked.Increment(ref _logins);
            await gate.Task;
            return new OpenBaoToken("s.shared", _time.GetUtcNow(), TimeSpan.FromMinutes(20), true);
        };

        var callers = Enumerable.Range(0, 20).Select(_ => cache.GetAsync(Key(), Client, slowLogin, default)).ToList();
        gate.SetResult();
        var tokens = await Task.WhenAll(callers);

        Assert.Equal(1, _logins);
        Assert.All(tokens, t => Assert.Equal("s.shared", t.Token.ClientToken));
    }

    [Fact]
    public async Task GetAsync_FailedLogin_IsNotCached()
    {
        var cache = NewCache(10);

        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync(Key(), Client, () => throw new InvalidOperationException("refused"), default));
        var token = await cache.GetAsync(Key(), Client, Login(TimeSpan.FromMinutes(20)), default);

        Assert.Equal("s.token1", token.Token.ClientToken);
    }

    [Fact]
    public async Task GetAsync_CallerCancels_SharedLoginGoesOn()
    {
        var cache = NewCache(10);
        var gate = new TaskCompletionSource();
        Func<Task<OpenBaoToken>> slowLogin = async () =>
        {
            await gate.Task;
            return new OpenBaoToken("s.survivor", _time.GetUtcNow(), TimeSpan.FromMinutes(20), true);
        };
        using var cancelled = new CancellationTokenSource();

        var impatient = cache.GetAsync(Key(), Client, slowLogin, cancelled.Token);
        var patient = cache.GetAsync(Key(), Client, slowLogin, default);
        await cancelled.CancelAsync();
        gate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        Assert.Equal("s.survivor", (await patient).Token.ClientToken);
    }

    [Fact]
    public async Task Invalidate_RefusedToken_ForcesOneNewLogin()
    {
        var cache = NewCache(10);
        var refused = await cache.GetAsync(Key(), Client, Login(TimeSpan.FromMinutes(20)), default);

        cache.Invalidate(refused);
        var replacement = await cache.GetAsync(Key(), Client, Login(TimeSpan.FromMinutes(20)), default);
        cache.Invalidate(refused);

        Assert.Same(replacement, await cache.GetAsync(Key(), Client, Login(TimeSpan.FromMinutes(20)), default));
        Assert.Equal(2, _logins);
    }

    [Fact]
    public async Task GetAsync_OverCapacity_EvictsLeastRecentlyUsed()
    {
        var cache = NewCache(2);
        await cache.GetAsync(Key("a"), Client, Login(TimeSpan.FromMinutes(20)), default);
        _time.Advance(TimeSpan.FromSeconds(1));
        await cache.GetAsync(Key("b"), Client, Login(TimeSpan.FromMinutes(20)), default);
        _time.Advance(TimeSpan.FromSeconds(1));
        await cache.GetAsync(Key("a"), Client, Login(TimeSpan.FromMinutes(20)), default);
        _time.Advance(TimeSpan.FromSeconds(1));

        await cache.GetAsync(Key("c"), Client, Login(TimeSpan.FromMinutes(20)), default);
        await cache.GetAsync(Key("c"), Client, Login(TimeSpan.FromMinutes(20)), default);
        await cache.GetAsync(Key("a"), Client, Login(TimeSpan.FromMinutes(20)), default);
        Assert.Equal(3, _logins);

        await cache.GetAsync(Key("b"), Client, Login(TimeSpan.FromMinutes(20)), default);
        Assert.Equal(4, _logins);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public async Task GetAsync_OverCapacity_EvictsExpiredBeforeRecentlyUsed()
    {
        var cache = NewCache(2);
        await cache.GetAsync(Key("long"), Client, Login(TimeSpan.FromHours(1)), default);
        _time.Advance(TimeSpan.FromSeconds(1));
        await cache.GetAsync(Key("short"), Client, Login(TimeSpan.FromMinutes(1)), default);
        _time.Advance(TimeSpan.FromMinutes(2));

        await cache.GetAsync(Key("new"), Client, Login(TimeSpan.FromHours(1)), default);
        await cache.GetAsync(Key("long"), Client, Login(TimeSpan.FromHours(1)), default);

        // "short" was used last but its token has expired: it goes, and "long" is still cached.
        Assert.Equal(3, _logins);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public async Task GetAsync_ZeroCapacity_LogsInEveryTime()
    {
        var cache = NewCache(0);

        await cache.GetAsync(Key(), Client, Login(TimeSpan.FromMinutes(20)), default);
        await cache.GetAsync(Key(), Client, Login(TimeSpan.FromMinutes(20)), default);

        Assert.Equal(2, _logins);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task GetAsync_LoginFailedAfterEveryWaiterLeft_NextCallLogsInAgain()
    {
        var cache = NewCache(10);
        var gate = new TaskCompletionSource();
        using var cancelled = new CancellationTokenSource();
        var abandoned = cache.GetAsync(Key(), Client, async () =>
        {
            await gate.Task.ConfigureAwait(false);
            throw new InvalidOperationException("refused");
        }, cancelled.Token);
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        // Completed on a thread without a synchronization context, the login's failure and the cache letting go
        // of it run inside SetResult; completed on xunit's context, they would be queued and race the next call.
        await Task.Run(gate.SetResult);

        var token = await cache.GetAsync(Key(), Client, Login(TimeSpan.FromMinutes(20)), default);

        Assert.Equal("s.token1", token.Token.ClientToken);
    }

    [Fact]
    public void Token_ToString_HidesClientToken()
    {
        var token = new OpenBaoToken("s.supersecret", _time.GetUtcNow(), TimeSpan.FromMinutes(1), true);

        Assert.DoesNotContain("supersecret", token.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("supersecret", new CachedToken(Key(), Client, token).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_RenewalCappedByMaxTtl_NextCallLogsInAgain()
    {
        var cache = NewCache(10);
        var first = await cache.GetAsync(Key(), Client, Login(TimeSpan.FromMinutes(30)), default);
        _time.Advance(TimeSpan.FromMinutes(21));
        Assert.True(first.IsRenewalDue(_time.GetUtcNow(), cache.RenewFraction));

        var kept = first.Renewed(_time.GetUtcNow(), new RenewalGrant(TimeSpan.FromMinutes(5), true), TimeSpan.FromMinutes(30));
        var next = await cache.GetAsync(Key(), Client, Login(TimeSpan.FromMinutes(30)), default);

        Assert.False(kept);
        Assert.NotSame(first, next);
        Assert.Equal(2, _logins);
        // Replaced, not released: the old token's leases stay valid until the new ones are written.
        Assert.Empty(_released.Reasons);
    }

    [Fact]
    public async Task GetAsync_RenewedInFull_KeepsTokenPastItsFirstTtl()
    {
        var cache = NewCache(10);
        var first = await cache.GetAsync(Key(), Client, Login(TimeSpan.FromMinutes(30)), default);
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(21));
            Assert.True(first.Renewed(_time.GetUtcNow(), new RenewalGrant(TimeSpan.FromMinutes(30), true), TimeSpan.FromMinutes(30)));
        }

        Assert.Same(first, await cache.GetAsync(Key(), Client, Login(TimeSpan.FromMinutes(30)), default));
        Assert.Equal(1, _logins);
    }

    [Fact]
    public async Task GetAsync_NonRenewableToken_ReplacedAtRenewFraction()
    {
        var cache = NewCache(10);
        var login = () => Task.FromResult(new OpenBaoToken($"s.batch{Interlocked.Increment(ref _logins)}", _time.GetUtcNow(), TimeSpan.FromMinutes(30), false));
        var first = await cache.GetAsync(Key(), Client, login, default);

        // Replaced at 20 minutes, or up to a tenth earlier (jitter).
        _time.Advance(TimeSpan.FromMinutes(17.9));
        Assert.Same(first, await cache.GetAsync(Key(), Client, login, default));
        Assert.False(first.IsRenewalDue(_time.GetUtcNow(), cache.RenewFraction));
        _time.Advance(TimeSpan.FromMinutes(2.2));

        Assert.NotSame(first, await cache.GetAsync(Key(), Client, login, default));
    }

    [Fact]
    public async Task Release_MatchingPod_HandsTokensOverWithReason()
    {
        var cache = NewCache(10);
        var gone = await cache.GetAsync(Key("uid-gone"), Client, Login(TimeSpan.FromMinutes(20)), default);
        await cache.GetAsync(Key("uid-alive"), Client, Login(TimeSpan.FromMinutes(20)), default);

        var released = cache.Release(token => token.Key.PodUid == "uid-gone", TokenRelease.PodGone);

        Assert.Equal(1, released);
        Assert.Equal(1, cache.Count);
        Assert.Equal([(gone, TokenRelease.PodGone)], _released.Reasons);
    }

    [Fact]
    public async Task Eviction_And_Refusal_AreReportedWithTheirReasons()
    {
        var cache = NewCache(1);
        var evicted = await cache.GetAsync(Key("a"), Client, Login(TimeSpan.FromMinutes(20)), default);
        var refused = await cache.GetAsync(Key("b"), Client, Login(TimeSpan.FromMinutes(20)), default);

        cache.Invalidate(refused);

        Assert.Equal([(evicted, TokenRelease.Evicted), (refused, TokenRelease.Refused)], _released.Reasons);
    }

    [Fact]
    public async Task TenThousandPods_TokenAndLeaseCachesStayBounded()
    {
        var leases = new LeaseCache();
        var reaper = new CredentialReaper(leases, new TokenRevoker(TestMetrics.Unobserved, NullLogger<TokenRevoker>.Instance), revoke: false);
        var cache = new TokenCache(1000, 2.0 / 3.0, _time, reaper, TestMetrics.Unobserved);
        var lease = JsonDocument.Parse("""{"lease_id":"database/creds/app/x","renewable":true,"lease_duration":3600}""").RootElement;

        for (var pod = 0; pod < 10_000; pod++)
        {
            var token = await cache.GetAsync(Key($"uid-{pod}"), Client, Login(TimeSpan.FromMinutes(20)), default);
            leases.Store(CachedSecret.TryCreate(token, new SecretRequestKey("GET", "database/creds/app", null, null), lease, _time.GetUtcNow())!);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.Equal(1000, cache.Count);
        Assert.Equal(1000, leases.Count);
    }

    private sealed class RecordingRetirement : ITokenRetirement
    {
        public List<(CachedToken Token, TokenRelease Reason)> Reasons { get; } = [];

        public void Released(CachedToken token, TokenRelease reason)
        {
            lock (Reasons)
            {
                Reasons.Add((token, reason));
            }
        }
    }
}
