namespace OpenBao.Csi.Provider.KubernetesApi;

/// <summary>The API server ended a watch with an ERROR event (410 Gone when the resourceVersion is too old).</summary>
internal sealed class PodWatchExpiredException(string message) : Exception(message);
