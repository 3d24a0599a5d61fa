using OpenBao.Csi.Provider.KubernetesApi;

namespace OpenBao.Csi.Provider.RotationEvents;

/// <summary>The Kubernetes API refused an Event; the message says why and what to grant.</summary>
internal sealed class PodEventException(string message, Exception inner) : Exception(message, inner)
{
    /// <summary>The pod's namespace is being deleted: no Event can be created there, and nobody would read one.</summary>
    public bool NamespaceTerminating => InnerException is KubernetesApiException { IsNamespaceTerminating: true };
}
