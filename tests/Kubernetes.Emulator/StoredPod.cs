namespace Kubernetes.Emulator;

/// <param name="NodeName">Null while the pod is unscheduled, which the API server serializes by omitting <c>spec.nodeName</c>.</param>
/// <param name="DeletionTimestamp">Set by a graceful delete; the pod stays until its final removal.</param>
internal sealed record StoredPod(
    string Namespace,
    string Name,
    string Uid,
    string ServiceAccountName,
    string? NodeName,
    string Phase,
    DateTimeOffset Created,
    long ResourceVersion,
    DateTimeOffset? DeletionTimestamp = null,
    long? DeletionGracePeriodSeconds = null)
{
    /// <summary>
    /// The storage key below <c>/registry/pods/</c>. Lists and initial watch events come out in ordinal
    /// order of it, as they do from etcd and the watch cache.
    /// </summary>
    public string Key => $"{Namespace}/{Name}";
}
