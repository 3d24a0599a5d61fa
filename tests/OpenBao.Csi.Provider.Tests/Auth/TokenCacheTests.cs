using Microsoft.Extensions.Time.Testing;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.OpenBao;

namespace OpenBao.Csi.Provider.Tests.Auth;

public sealed class TokenCacheTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private int _logins;

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
        var cache = new TokenCache(10, _time);

        var first = await cache.GetAsync(Key(), Login(TimeSpan.FromMinutes(20)), default);
        var second = await cache.GetAsync(Key(), Login(TimeSpan.FromMinutes(20)), default);

        Assert.Same(first, second);
        Assert.Equal(1, _logins);
    }

    [Fact]
    public async Task GetAsync_NearExpiry_LogsInAgainBeforeTtlRunsOut()
    {
        var cache = new TokenCache(10, _time);
        var first = await cache.GetAsync(Key(), Login(TimeSpan.FromMinutes(20)), default);

        _time.Advance(TimeSpan.FromMinutes(17));
        var stillFresh = await cache.GetAsync(Key(), Login(TimeSpan.FromMinutes(20)), default);
        _time.Advance(TimeSpan.FromMinutes(1.5));
        var replaced = await cache.GetAsync(Key(), Login(TimeSpan.FromMinutes(20)), default);

        Assert.Same(first, stillFresh);
        Assert.NotSame(first, replaced);
        Assert.Equal(2, _logins);
    }

    [Fact]
    public async Task GetAsync_ZeroTtl_NeverExpires()
    {
        var cache = new TokenCache(10, _time);
        var first = await cache.GetAsync(Key(), Login(TimeSpan.Zero), default);

        _time.Advance(TimeSpan.FromDays(400));

        Assert.Same(first, await cache.GetAsync(Key(), Login(TimeSpan.Zero), default));
    }

    [Fact]
    public async Task GetAsync_DifferentKeys_DoNotShare()
    {
        var cache = new TokenCache(10, _time);

        var a = await cache.GetAsync(Key("uid-1"), Login(TimeSpan.FromMinutes(20)), default);
        var b = await cache.GetAsync(Key("uid-2"), Login(TimeSpan.FromMinutes(20)), default);
        var c = await cache.GetAsync(Key("uid-1", role: "other"), Login(TimeSpan.FromMinutes(20)), default);

        Assert.Equal(3, new[] { a.ClientToken, b.ClientToken, c.ClientToken }.Distinct().Count());
    }

    [Fact]
    public async Task GetAsync_Concurrent_ShareOneLogin()
    {
        var cache = new TokenCache(10, _time);
        var gate = new TaskCompletionSource();
        Func<Task<OpenBaoToken>> slowLogin = async () =>
        {
            Interlocked.Increment(ref _logins);
            await gate.Task;
            return new OpenBaoToken("s.shared", _time.GetUtcNow(), TimeSpan.FromMinutes(20), true);
        };

        var callers = Enumerable.Range(0, 20).Select(_ => cache.GetAsync(Key(), slowLogin, default)).ToList();
        gate.SetResult();
        var tokens = await Task.WhenAll(callers);

        Assert.Equal(1, _logins);
        Assert.All(tokens, t => Assert.Equal("s.shared", t.ClientToken));
    }

    [Fact]
    public async Task GetAsync_FailedLogin_IsNotCached()
    {
        var cache = new TokenCache(10, _time);

        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync(Key(), () => throw new InvalidOperationException("refused"), default));
        var token = await cache.GetAsync(Key(), Login(TimeSpan.FromMinutes(20)), default);

        Assert.Equal("s.token1", token.ClientToken);
    }

    [Fact]
    public async Task GetAsync_CallerCancels_SharedLoginGoesOn()
    {
        var cache = new TokenCache(10, _time);
        var gate = new TaskCompletionSource();
        Func<Task<OpenBaoToken>> slowLogin = async () =>
        {
            await gate.Task;
            return new OpenBaoToken("s.survivor", _time.GetUtcNow(), TimeSpan.FromMinutes(20), true);
        };
        using var cancelled = new CancellationTokenSource();

        var impatient = cache.GetAsync(Key(), slowLogin, cancelled.Token);
        var patient = cache.GetAsync(Key(), slowLogin, default);
        await cancelled.CancelAsync();
        gate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        Assert.Equal("s.survivor", (await patient).ClientToken);
    }

    [Fact]
    public async Task Invalidate_RefusedToken_ForcesOneNewLogin()
    {
        var cache = new TokenCache(10, _time);
        var refused = await cache.GetAsync(Key(), Login(TimeSpan.FromMinutes(20)), default);

        cache.Invalidate(Key(), refused);
        var replacement = await cache.GetAsync(Key(), Login(TimeSpan.FromMinutes(20)), default);
        cache.Invalidate(Key(), refused);

        Assert.Same(replacement, await cache.GetAsync(Key(), Login(TimeSpan.FromMinutes(20)), default));
        Assert.Equal(2, _logins);
    }

    [Fact]
    public async Task GetAsync_OverCapacity_EvictsLeastRecentlyUsed()
    {
        var cache = new TokenCache(2, _time);
        await cache.GetAsync(Key("a"), Login(TimeSpan.FromMinutes(20)), default);
        _time.Advance(TimeSpan.FromSeconds(1));
        await cache.GetAsync(Key("b"), Login(TimeSpan.FromMinutes(20)), default);
        _time.Advance(TimeSpan.FromSeconds(1));
        await cache.GetAsync(Key("a"), Login(TimeSpan.FromMinutes(20)), default);
        _time.Advance(TimeSpan.FromSeconds(1));

        await cache.GetAsync(Key("c"), Login(TimeSpan.FromMinutes(20)), default);
        await cache.GetAsync(Key("c"), Login(TimeSpan.FromMinutes(20)), default);
        await cache.GetAsync(Key("a"), Login(TimeSpan.FromMinutes(20)), default);
        Assert.Equal(3, _logins);

        await cache.GetAsync(Key("b"), Login(TimeSpan.FromMinutes(20)), default);
        Assert.Equal(4, _logins);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public async Task GetAsync_OverCapacity_EvictsExpiredBeforeRecentlyUsed()
    {
        var cache = new TokenCache(2, _time);
        await cache.GetAsync(Key("long"), Login(TimeSpan.FromHours(1)), default);
        _time.Advance(TimeSpan.FromSeconds(1));
        await cache.GetAsync(Key("short"), Login(TimeSpan.FromMinutes(1)), default);
        _time.Advance(TimeSpan.FromMinutes(2));

        await cache.GetAsync(Key("new"), Login(TimeSpan.FromHours(1)), default);
        await cache.GetAsync(Key("long"), Login(TimeSpan.FromHours(1)), default);

        // "short" was used last but its token has expired: it goes, and "long" is still cached.
        Assert.Equal(3, _logins);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public async Task GetAsync_ZeroCapacity_LogsInEveryTime()
    {
        var cache = new TokenCache(0, _time);

        await cache.GetAsync(Key(), Login(TimeSpan.FromMinutes(20)), default);
        await cache.GetAsync(Key(), Login(TimeSpan.FromMinutes(20)), default);

        Assert.Equal(2, _logins);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task GetAsync_LoginFailedAfterEveryWaiterLeft_NextCallLogsInAgain()
    {
        var cache = new TokenCache(10, _time);
        var gate = new TaskCompletionSource();
        using var cancelled = new CancellationTokenSource();
        var abandoned = cache.GetAsync(Key(), async () =>
        {
            await gate.Task;
            throw new InvalidOperationException("refused");
        }, cancelled.Token);
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        gate.SetResult();
        await Task.Delay(50);

        var token = await cache.GetAsync(Key(), Login(TimeSpan.FromMinutes(20)), default);

        Assert.Equal("s.token1", token.ClientToken);
    }

    [Fact]
    public void Token_ToString_HidesClientToken()
    {
        var token = new OpenBaoToken("s.supersecret", _time.GetUtcNow(), TimeSpan.FromMinutes(1), true);

        Assert.DoesNotContain("supersecret", token.ToString(), StringComparison.Ordinal);
    }
}
