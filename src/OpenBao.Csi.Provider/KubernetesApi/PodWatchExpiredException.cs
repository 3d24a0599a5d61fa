namespace OpenBao.Csi.Provider.KubernetesApi;

/// <summary>The API server ended a watch with an ERROR event.</summary>
internal sealed class PodWatchExpiredException(string message, bool gone) : Exception(message)
{
    /// <summary>410: the resourceVersion the watch asked for is older than the server's history.</summary>
    public bool Gone { get; } = gone;
}
