using OpenBao.Emulator.Internal.Namespaces;

namespace OpenBao.Emulator.Internal.Tokens;

/// <summary>OpenBao's expiration manager, minus the timers: leases are judged whenever they are touched.</summary>
internal sealed class LeaseStore(TimeProvider time)
{
    private const int LeaseSuffixLength = 24;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Lease> _leases = new(StringComparer.Ordinal);

    /// <param name="ttl">What the engine granted, already capped by its max TTL.</param>
    public Lease Register(NamespaceEntry ns, string path, TimeSpan ttl, Func<LeaseTerms> terms, bool renewable, TokenEntry owner)
    {
        var now = time.GetUtcNow();
        var expireTime = now + ttl;

        // Nothing revokes a batch token's leases with it, so Register caps them at its expiry instead.
        if (owner.Type == TokenType.Batch && owner.ReadExpireTime() is { } tokenExpiry && expireTime > tokenExpiry)
        {
            expireTime = tokenExpiry;
        }

        var lease = new Lease
        {
            Id = ns.Qualify($"{path}/{Base62.Random(LeaseSuffixLength)}"),
            Path = path,
            Namespace = ns,
            IssueTime = now,
            Terms = terms,
            Renewable = renewable,
            Owner = owner,
            GrantedTtl = TtlCalculator.RoundToSeconds(expireTime - now),
            ExpireTime = expireTime,
        };
        lock (_gate)
        {
            _leases.Add(lease.Id, lease);
        }

        return lease;
    }

    /// <summary>
    /// The lease unless it was revoked, directly or with its service token, or that token expired. An
    /// expired lease is still found (OpenBao reports "lease expired" until its reaper gets to it).
    /// </summary>
    public Lease? Find(string id)
    {
        Lease? lease;
        lock (_gate)
        {
            _leases.TryGetValue(id, out lease);
        }

        if (lease is null || DiedWithToken(lease, time.GetUtcNow()))
        {
            return null;
        }

        lock (lease.Gate)
        {
            return lease.Revoked ? null : lease;
        }
    }

    /// <summary>Unknown IDs are ignored, as OpenBao does. An expired lease is removed but not counted as revoked: it ended by expiry.</summary>
    public void Revoke(string id)
    {
        if (Find(id) is not { } lease)
        {
            return;
        }

        var now = time.GetUtcNow();
        lock (lease.Gate)
        {
            if (!lease.Revoked)
            {
                lease.RevokedWhileLive = now < lease.ExpireTime;
                lease.Revoked = true;
            }
        }
    }

    /// <summary>IDs of leases neither revoked (directly or with their token) nor expired.</summary>
    public IReadOnlyList<string> ActiveIds()
    {
        var now = time.GetUtcNow();
        return [.. Snapshot().Where(lease => IsLive(lease, now)).Select(lease => lease.Id)];
    }

    /// <param name="pathPrefix">Matched against the lease's path seen from the root namespace,
    /// e.g. <c>database/creds/</c> or <c>team-a/database/creds/</c>; null matches all.</param>
    public LeaseStatistics Statistics(string? pathPrefix)
    {
        var now = time.GetUtcNow();
        int issued = 0, live = 0, renewed = 0, revoked = 0;
        foreach (var lease in Snapshot())
        {
            if (pathPrefix is not null && !(lease.Namespace.Path + lease.Path).StartsWith(pathPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            issued++;
            live += IsLive(lease, now) ? 1 : 0;
            revoked += WasRevoked(lease) ? 1 : 0;
            lock (lease.Gate)
            {
                renewed += lease.RenewCount;
            }
        }

        return new LeaseStatistics(issued, live, renewed, revoked);
    }

    private static bool DiedWithToken(Lease lease, DateTimeOffset now) =>
        !lease.OwnedByBatchToken && !lease.Owner.IsValidAt(now);

    private static bool IsLive(Lease lease, DateTimeOffset now)
    {
        if (DiedWithToken(lease, now))
        {
            return false;
        }

        lock (lease.Gate)
        {
            return !lease.Revoked && now < lease.ExpireTime;
        }
    }

    /// <summary>Revoked directly while live, or live when its token was revoked. Every fact used is fixed once true, so the count never flickers.</summary>
    private static bool WasRevoked(Lease lease)
    {
        var tokenRevokedAt = lease.OwnedByBatchToken ? null : lease.Owner.RevokedAt;
        lock (lease.Gate)
        {
            return lease.RevokedWhileLive
                || (!lease.Revoked && tokenRevokedAt is { } at && lease.IssueTime <= at && at < lease.ExpireTime);
        }
    }

    private List<Lease> Snapshot()
    {
        lock (_gate)
        {
            return [.. _leases.Values];
        }
    }
}
