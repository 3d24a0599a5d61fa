using System.Globalization;
using System.Text.Json.Nodes;

namespace Kubernetes.Emulator;

/// <summary>Pods as the API server serializes them, in the field order of the Go structs.</summary>
internal static class PodJson
{
    /// <summary>The defaults the API server fills in; field selectors see them too.</summary>
    public const string RestartPolicy = "Always";

    public const string SchedulerName = "default-scheduler";

    /// <summary>A pod on its own (get, watch events): with <c>kind</c> and <c>apiVersion</c>.</summary>
    public static JsonObject Object(StoredPod pod) => Build(pod, withTypeMeta: true);

    /// <summary>A pod inside a PodList: Go leaves an item's empty TypeMeta out, so no kind or apiVersion.</summary>
    public static JsonObject ListItem(StoredPod pod) => Build(pod, withTypeMeta: false);

    /// <summary>
    /// A BOOKMARK's object: the cacher versions an empty Pod, which Go serializes with its non-omitempty
    /// <c>containers</c> as null; since Kubernetes 1.33 the zero <c>creationTimestamp</c> is omitted.
    /// </summary>
    public static JsonObject Bookmark(long resourceVersion) =>
        new()
        {
            ["kind"] = "Pod",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = ResourceVersion(resourceVersion) },
            ["spec"] = new JsonObject { ["containers"] = null },
            ["status"] = new JsonObject(),
        };

    public static string ResourceVersion(long resourceVersion) => resourceVersion.ToString(CultureInfo.InvariantCulture);

    private static JsonObject Build(StoredPod pod, bool withTypeMeta)
    {
        var metadata = new JsonObject
        {
            ["name"] = pod.Name,
            ["namespace"] = pod.Namespace,
            ["uid"] = pod.Uid,
            ["resourceVersion"] = ResourceVersion(pod.ResourceVersion),
            ["creationTimestamp"] = GoFormat.Timestamp(pod.Created),
        };
        if (pod.DeletionTimestamp is { } deletion)
        {
            metadata["deletionTimestamp"] = GoFormat.Timestamp(deletion);
            metadata["deletionGracePeriodSeconds"] = pod.DeletionGracePeriodSeconds;
        }

        var spec = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "registry.example/app:latest" }),
            ["restartPolicy"] = RestartPolicy,
            ["serviceAccountName"] = pod.ServiceAccountName,
            ["serviceAccount"] = pod.ServiceAccountName,
        };
        if (!string.IsNullOrEmpty(pod.NodeName))
        {
            spec["nodeName"] = pod.NodeName;
        }

        spec["schedulerName"] = SchedulerName;

        var json = new JsonObject();
        if (withTypeMeta)
        {
            json["kind"] = "Pod";
            json["apiVersion"] = "v1";
        }

        json["metadata"] = metadata;
        json["spec"] = spec;
        json["status"] = new JsonObject { ["phase"] = pod.Phase };
        return json;
    }
}
