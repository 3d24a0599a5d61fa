using OpenBao.Emulator.Internal.Namespaces;

namespace OpenBao.Emulator.Internal.Tokens;

/// <summary>OpenBao's expiration manager, minus the timers: leases are judged whenever they are touched.</summary>
internal sealed class LeaseStore(TimeProvider time)
{
    private const int LeaseSuffixLength = 24;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Lease> _leases = new(StringComparer.Ordinal);

    public Lease Register(NamespaceEntry ns, string path, TimeSpan ttl, TimeSpan backendTtl, TimeSpan backendMaxTtl, bool renewable, TokenEntry owner)
    {
        var now = time.GetUtcNow();
        var lease = new Lease
        {
            Id = ns.Qualify($"{path}/{Base62.Random(LeaseSuffixLength)}"),
            Path = path,
            Namespace = ns,
            IssueTime = now,
            BackendTtl = backendTtl,
            BackendMaxTtl = backendMaxTtl,
            Renewable = renewable,
            Owner = owner,
            ExpireTime = now + ttl,
        };
        lock (_gate)
        {
            _leases.Add(lease.Id, lease);
        }

        return lease;
    }

    /// <summary>
    /// The lease unless it was revoked, directly or with its token. An expired lease is still found
    /// (OpenBao reports "lease expired" until its reaper gets to it).
    /// </summary>
    public Lease? Find(string id)
    {
        Lease? lease;
        lock (_gate)
        {
            _leases.TryGetValue(id, out lease);
        }

        if (lease is null || !lease.Owner.IsValidAt(time.GetUtcNow()))
        {
            return null;
        }

        lock (lease.Gate)
        {
            return lease.Revoked ? null : lease;
        }
    }

    /// <summary>Unknown IDs are ignored, as OpenBao does.</summary>
    public void Revoke(string id)
    {
        if (Find(id) is { } lease)
        {
            lock (lease.Gate)
            {
                lease.Revoked = true;
            }
        }
    }

    /// <summary>IDs of leases neither revoked nor expired.</summary>
    public IReadOnlyList<string> ActiveIds()
    {
        List<string> ids;
        lock (_gate)
        {
            ids = [.. _leases.Keys];
        }

        var now = time.GetUtcNow();
        return [.. ids.Select(Find).OfType<Lease>().Where(lease => IsUnexpired(lease, now)).Select(lease => lease.Id)];
    }

    private static bool IsUnexpired(Lease lease, DateTimeOffset now)
    {
        lock (lease.Gate)
        {
            return now < lease.ExpireTime;
        }
    }
}
