using System.Collections.Concurrent;

namespace OpenBao.Csi.Provider.KubernetesApi;

/// <summary>
/// UIDs of this node's pods in phase Running, as the pod watch last saw them; empty without one. A pod cannot run
/// before each of its CSI volumes has mounted, so a Mount for a running pod is a rotation poll even when this
/// process has not served it before (it restarted, and drivers since v1.6 send no current versions).
/// </summary>
internal sealed class RunningPods
{
    private readonly ConcurrentDictionary<string, byte> _uids = new(StringComparer.Ordinal);

    public bool Contains(string uid) => _uids.ContainsKey(uid);

    /// <summary>After a list: exactly these pods run.</summary>
    public void ReplaceWith(IEnumerable<string> uids)
    {
        var current = uids.ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _uids.Keys.Where(uid => !current.Contains(uid)))
        {
            _uids.TryRemove(gone, out _);
        }

        foreach (var uid in current)
        {
            _uids.TryAdd(uid, 0);
        }
    }

    /// <summary>After a watch event for one pod.</summary>
    public void Set(string uid, bool running)
    {
        if (running)
        {
            _uids.TryAdd(uid, 0);
        }
        else
        {
            _uids.TryRemove(uid, out _);
        }
    }
}
