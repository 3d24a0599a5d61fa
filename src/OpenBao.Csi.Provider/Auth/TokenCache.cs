using System.Collections.Concurrent;
using OpenBao.Csi.Provider.Internal;
using OpenBao.Csi.Provider.Metrics;
using OpenBao.Csi.Provider.OpenBao;

namespace OpenBao.Csi.Provider.Auth;

/// <summary>
/// OpenBao tokens per pod and role, bounded (expired entries go first, then the least recently
/// used); concurrent callers for one key share a single login. Every token the cache lets go of
/// (evicted, its pod gone, idle) is handed to <see cref="ITokenRetirement"/> so its leases do not
/// outlive the pod. A capacity of zero turns caching off, as <c>-cache-size=0</c> does in the Go provider.
/// </summary>
internal sealed class TokenCache(int capacity, double renewFraction, TimeProvider time, ITokenRetirement retirement, ProviderMetrics metrics)
{
    private readonly ConcurrentDictionary<TokenCacheKey, CachedToken> _entries = new();
    private readonly SingleFlight<TokenCacheKey, CachedToken> _logins = new();

    public int Count => _entries.Count;

    /// <summary>False with <c>-cache-size=0</c>: every mount logs in, nothing is kept between polls.</summary>
    public bool Enabled => capacity > 0;

    public double RenewFraction => renewFraction;

    public async Task<CachedToken> GetAsync(
        TokenCacheKey key,
        OpenBaoClient client,
        Func<Task<OpenBaoToken>> login,
        CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return new CachedToken(key, client, await login().WaitAsync(cancellationToken).ConfigureAwait(false));
        }

        var cached = FindUsable(key);
        metrics.TokenLookup(hit: cached is not null);
        if (cached is not null)
        {
            return cached;
        }

        return await _logins.RunAsync(key, async () =>
        {
            // A login that finished while this one waited to start is as good as a new one.
            if (FindUsable(key) is { } justLoggedIn)
            {
                return justLoggedIn;
            }

            var fresh = new CachedToken(key, client, await login().ConfigureAwait(false));
            // A retired token being replaced is left to die with its TTL: the secrets it holds stay
            // valid until the next poll has written their successors.
            _entries[key] = fresh;
            EvictBeyondCapacity(key);
            return fresh;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops a token OpenBao refused, unless a newer one has already replaced it.</summary>
    public void Invalidate(CachedToken refused)
    {
        if (_entries.TryRemove(new KeyValuePair<TokenCacheKey, CachedToken>(refused.Key, refused)))
        {
            retirement.Released(refused, TokenRelease.Refused);
        }
    }

    public IReadOnlyList<CachedToken> Snapshot() => [.. _entries.Values];

    /// <summary>The current token for a key, or null; does not count as a use.</summary>
    public CachedToken? Peek(TokenCacheKey key) => _entries.TryGetValue(key, out var entry) ? entry : null;

    /// <summary>Lets go of every token that matches, e.g. those of a deleted pod.</summary>
    /// <returns>How many were released.</returns>
    public int Release(Func<CachedToken, bool> predicate, TokenRelease reason)
    {
        var released = 0;
        foreach (var entry in _entries.Values.Where(predicate))
        {
            if (_entries.TryRemove(new KeyValuePair<TokenCacheKey, CachedToken>(entry.Key, entry)))
            {
                retirement.Released(entry, reason);
                released++;
            }
        }

        return released;
    }

    private CachedToken? FindUsable(TokenCacheKey key)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && entry.IsUsable(now, renewFraction))
        {
            entry.Touch(now);
            return entry;
        }

        return null;
    }

    private void EvictBeyondCapacity(TokenCacheKey added)
    {
        while (_entries.Count > capacity)
        {
            var now = time.GetUtcNow();
            var candidates = _entries.Values.Where(entry => !entry.Key.Equals(added)).ToList();
            if (candidates.Count == 0)
            {
                return;
            }

            // Tokens of pods that are gone stop being renewed and go first; otherwise the least recently used.
            var victim = candidates.FirstOrDefault(entry => !entry.IsUsable(now, renewFraction)) ?? candidates.MinBy(entry => entry.LastUsed)!;
            if (_entries.TryRemove(new KeyValuePair<TokenCacheKey, CachedToken>(victim.Key, victim)))
            {
                retirement.Released(victim, TokenRelease.Evicted);
            }
        }
    }
}
