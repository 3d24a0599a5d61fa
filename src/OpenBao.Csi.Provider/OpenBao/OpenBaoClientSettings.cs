namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>Limits every OpenBao client works within.</summary>
/// <param name="RequestTimeout">One request, retries excluded.</param>
/// <param name="MaxResponseBytes">Larger answers are refused before they are read whole.</param>
internal sealed record OpenBaoClientSettings(TimeSpan RequestTimeout, long MaxResponseBytes = OpenBaoClientSettings.DefaultMaxResponseBytes)
{
    /// <summary>The CSI driver's own gRPC receive limit: a larger secret could never reach a pod anyway.</summary>
    public const long DefaultMaxResponseBytes = 4 * 1024 * 1024;

    /// <summary>Standby-to-active hops are one (all Go's client follows); a few more allow for a leader change on the way, beyond that a loop.</summary>
    public const int MaxRedirects = 3;
}
