namespace OpenBao.Csi.Provider.KubernetesApi;

/// <summary>The API server ended a watch with an ERROR event carrying a Status.</summary>
internal sealed class PodWatchEndedException(string message, int code) : Exception(message)
{
    /// <summary>
    /// The Status code: 410 when the resourceVersion is older than the server's history, 504 when it is newer than
    /// what this server has seen (a list served by another API server of the cluster), 429 or 500 when it is busy or failing.
    /// </summary>
    public int Code { get; } = code;
}
