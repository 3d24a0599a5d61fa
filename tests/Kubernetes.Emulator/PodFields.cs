namespace Kubernetes.Emulator;

/// <summary>The field labels a pod can be selected by, as core/v1 converts them and the pod registry fills them.</summary>
internal static class PodFields
{
    /// <summary>pkg/apis/core/v1's field label conversion for Pod, including the legacy <c>spec.host</c>.</summary>
    public static string? ConvertLabel(string label) => label switch
    {
        "metadata.name" or "metadata.namespace" or "spec.nodeName" or "spec.restartPolicy" or "spec.schedulerName"
            or "spec.serviceAccountName" or "spec.hostNetwork" or "status.phase" or "status.podIP" or "status.podIPs"
            or "status.nominatedNodeName" => label,
        "spec.host" => "spec.nodeName",
        _ => null,
    };

    public static bool Matches(this FieldSelector selector, StoredPod pod) => selector.Matches(field => Value(pod, field));

    /// <summary>The pod registry's selectable fields.</summary>
    private static string Value(StoredPod pod, string field) => field switch
    {
        "metadata.name" => pod.Name,
        "metadata.namespace" => pod.Namespace,
        "spec.nodeName" => pod.NodeName ?? string.Empty,
        "spec.restartPolicy" => PodJson.RestartPolicy,
        "spec.schedulerName" => PodJson.SchedulerName,
        "spec.serviceAccountName" => pod.ServiceAccountName,
        "spec.hostNetwork" => "false",
        "status.phase" => pod.Phase,
        // The fake's pods have no IPs and no nominated node.
        _ => string.Empty,
    };
}
