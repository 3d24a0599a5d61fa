namespace Kubernetes.Emulator;

/// <summary>
/// One entry of the pod history, as the watch cache keeps it: the object before and after, so each
/// watch can decide against its own selector whether the change is an ADDED, MODIFIED or DELETED.
/// </summary>
/// <param name="Current">The pod after the change, carrying <paramref name="ResourceVersion"/>; null for a deletion.</param>
/// <param name="Previous">The pod before the change; null for a creation.</param>
internal sealed record PodChange(long ResourceVersion, StoredPod? Current, StoredPod? Previous);
