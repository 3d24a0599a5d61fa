using OpenBao.Csi.Provider.Internal;
using OpenBao.Csi.Provider.OpenBao;

namespace OpenBao.Csi.Provider.Auth;

/// <summary>
/// One pod's OpenBao token as the cache keeps it: the login, what the last renewal granted, and
/// the client that reaches the server it came from, so background renewal and revocation can use it.
/// </summary>
internal sealed class CachedToken
{
    /// <summary>A token is never handed to a new request past this share of its granted TTL.</summary>
    private const double HardLimit = 0.9;

    private static long s_generations;

    private readonly Lock _gate = new();
    private readonly double _shareEarlier = RenewalJitter.Draw();
    private DateTimeOffset _grantedAt;
    private TimeSpan _granted;
    private bool _extendable;
    private bool _retiring;
    private long _lastUsedTicks;

    public CachedToken(TokenCacheKey key, OpenBaoClient client, OpenBaoToken token)
    {
        Key = key;
        Client = client;
        Token = token;
        _grantedAt = token.ObtainedAt;
        _granted = token.Ttl;
        _extendable = token.Renewable;
        _lastUsedTicks = token.ObtainedAt.UtcTicks;
        Generation = Interlocked.Increment(ref s_generations);
    }

    /// <summary>Orders tokens by creation across the process, independent of any clock.</summary>
    public static long LatestGeneration => Interlocked.Read(ref s_generations);

    public TokenCacheKey Key { get; }

    public long Generation { get; }

    public OpenBaoClient Client { get; }

    public OpenBaoToken Token { get; }

    public DateTimeOffset LastUsed => new(Interlocked.Read(ref _lastUsedTicks), TimeSpan.Zero);

    /// <summary>When OpenBao ends the token (and every lease it created); null when it set no expiry.</summary>
    public DateTimeOffset? ExpiresAt
    {
        get
        {
            lock (_gate)
            {
                return _granted > TimeSpan.Zero ? _grantedAt + _granted : null;
            }
        }
    }

    public void Touch(DateTimeOffset now) => Interlocked.Exchange(ref _lastUsedTicks, now.UtcTicks);

    /// <summary>
    /// Whether a mount may still use the token. One that can be renewed is good until close to its
    /// end (renewal keeps pushing that out); one that cannot is replaced once <paramref name="renewFraction"/>
    /// of its life has passed, so the secrets it holds are re-issued while the old ones still live.
    /// </summary>
    public bool IsUsable(DateTimeOffset now, double renewFraction)
    {
        lock (_gate)
        {
            if (_retiring)
            {
                return false;
            }

            return _granted <= TimeSpan.Zero || now < _grantedAt + (_extendable ? _granted * HardLimit : RenewalJitter.Point(_granted, renewFraction, _shareEarlier));
        }
    }

    public bool IsRenewalDue(DateTimeOffset now, double renewFraction)
    {
        lock (_gate)
        {
            return _extendable && !_retiring && _granted > TimeSpan.Zero && now >= _grantedAt + RenewalJitter.Point(_granted, renewFraction, _shareEarlier);
        }
    }

    /// <summary>
    /// Records a renewal. A grant shorter than asked means the max TTL is near: the token is retired,
    /// so the next mount logs in again and re-issues its secrets before this one ends.
    /// </summary>
    /// <returns>False when the token was retired because the grant fell short.</returns>
    public bool Renewed(DateTimeOffset now, RenewalGrant grant, TimeSpan asked)
    {
        lock (_gate)
        {
            _grantedAt = now;
            _granted = grant.Ttl;
            _extendable = grant.Renewable && grant.Ttl >= asked;
            _retiring |= !_extendable;
            return !_retiring;
        }
    }

    /// <summary>OpenBao will not extend the token any more: the next mount replaces it.</summary>
    public void Retire()
    {
        lock (_gate)
        {
            _retiring = true;
            _extendable = false;
        }
    }

    public override string ToString() => $"CachedToken({Key.PodNamespace}/{Key.PodName}, role {Key.Role}, {Token})";
}
