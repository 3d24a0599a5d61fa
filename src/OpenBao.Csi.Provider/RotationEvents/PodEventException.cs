namespace OpenBao.Csi.Provider.RotationEvents;

/// <summary>The Kubernetes API refused an Event; the message says why and what to grant.</summary>
internal sealed class PodEventException(string message, Exception inner) : Exception(message, inner);
