namespace OpenBao.Csi.Provider.Auth;

/// <summary>Why the cache let go of a token.</summary>
internal enum TokenRelease
{
    /// <summary>OpenBao refused it: it is already dead, with its leases.</summary>
    Refused,

    /// <summary>The cache was full and this was the least recently used.</summary>
    Evicted,

    /// <summary>Its pod was deleted or finished.</summary>
    PodGone,

    /// <summary>No mount asked for it within the idle timeout (no pod watch to say whether the pod lives).</summary>
    Idle,
}
