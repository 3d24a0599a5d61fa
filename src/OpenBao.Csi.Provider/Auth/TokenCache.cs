using System.Collections.Concurrent;
using OpenBao.Csi.Provider.OpenBao;

namespace OpenBao.Csi.Provider.Auth;

/// <summary>
/// OpenBao tokens per pod and role, bounded (expired entries go first, then the least recently
/// used). A token is handed out only while a tenth of its TTL is still left, so a read never races
/// its expiry; concurrent callers for one key share a single login. A capacity of zero turns
/// caching off, as <c>-cache-size=0</c> does in the Go provider.
/// </summary>
internal sealed class TokenCache(int capacity, TimeProvider time)
{
    private readonly ConcurrentDictionary<TokenCacheKey, Entry> _entries = new();

    public int Count => _entries.Count;

    public async Task<OpenBaoToken> GetAsync(
        TokenCacheKey key,
        Func<Task<OpenBaoToken>> login,
        CancellationToken cancellationToken)
    {
        if (capacity == 0)
        {
            return await login().WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        // Two rounds at most: a stale or failed entry is replaced once; a fresh login is used as it is.
        for (var round = 0; ; round++)
        {
            var created = new Entry(login, time.GetTimestamp());
            var entry = _entries.GetOrAdd(key, created);
            var ownsLogin = ReferenceEquals(entry, created);
            if (ownsLogin)
            {
                entry.Start();
                EvictBeyondCapacity(key);
            }
            else if (entry.Token.IsFaulted || entry.Token.IsCanceled)
            {
                // A failure nobody was left waiting for must not be served to a later mount.
                Remove(key, entry);
                continue;
            }

            entry.Touch(time.GetTimestamp());
            OpenBaoToken token;
            try
            {
                token = await entry.Token.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (entry.Token.IsFaulted || entry.Token.IsCanceled)
            {
                Remove(key, entry);
                throw;
            }

            if (ownsLogin || round > 0 || IsFresh(token))
            {
                return token;
            }

            Remove(key, entry);
        }
    }

    /// <summary>Drops the token OpenBao refused, unless a newer one has already replaced it.</summary>
    public void Invalidate(TokenCacheKey key, OpenBaoToken refused)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Token.IsCompletedSuccessfully
            && ReferenceEquals(entry.Token.Result, refused))
        {
            Remove(key, entry);
        }
    }

    private bool IsFresh(OpenBaoToken token) =>
        token.Ttl <= TimeSpan.Zero || time.GetUtcNow() < token.ObtainedAt + (token.Ttl * 0.9);

    private void Remove(TokenCacheKey key, Entry entry) => _entries.TryRemove(new KeyValuePair<TokenCacheKey, Entry>(key, entry));

    private void EvictBeyondCapacity(TokenCacheKey added)
    {
        while (_entries.Count > capacity)
        {
            var candidates = _entries.Where(pair => !pair.Key.Equals(added)).ToList();
            if (candidates.Count == 0)
            {
                return;
            }

            // Tokens of pods that are gone expire and go first; otherwise the least recently used.
            var victim = candidates.FirstOrDefault(pair => pair.Value.Token.IsCompletedSuccessfully && !IsFresh(pair.Value.Token.Result));
            _entries.TryRemove(victim.Value is null ? candidates.MinBy(pair => pair.Value.LastUsed) : victim);
        }
    }

    private sealed class Entry(Func<Task<OpenBaoToken>> login, long created)
    {
        private readonly TaskCompletionSource<OpenBaoToken> _token = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _lastUsed = created;

        public Task<OpenBaoToken> Token => _token.Task;

        public long LastUsed => Interlocked.Read(ref _lastUsed);

        public void Touch(long timestamp) => Interlocked.Exchange(ref _lastUsed, timestamp);

        // The login is shared by every waiter, so it must not die with the first caller's cancellation.
        public void Start() => _ = RunAsync();

        private async Task RunAsync()
        {
            try
            {
                _token.SetResult(await login().ConfigureAwait(false));
            }
            catch (Exception ex)
            {
                _token.SetException(ex);
            }
        }
    }
}
