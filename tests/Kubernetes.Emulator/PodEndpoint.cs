using System.Globalization;
using System.Text.Json.Nodes;

namespace Kubernetes.Emulator;

/// <summary><c>GET /api/v1/namespaces/{ns}/pods/{name}</c>, for clients that look a pod up before asking for its token.</summary>
internal sealed class PodEndpoint(ClusterStore store, FakeKubernetesApiOptions options)
{
    public ApiResponse Get(string @namespace, string name)
    {
        if (store.IsDenied("get", "pods", @namespace))
        {
            return KubernetesStatus.Forbidden(options.CallerUserName, "get", "pods", null, @namespace, name);
        }

        if (store.FindPod(@namespace, name) is not { } pod)
        {
            return KubernetesStatus.NotFound("pods", name);
        }

        var json = new JsonObject
        {
            ["kind"] = "Pod",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = pod.Name,
                ["namespace"] = pod.Namespace,
                ["uid"] = pod.Uid,
                ["resourceVersion"] = pod.ResourceVersion.ToString(CultureInfo.InvariantCulture),
                ["creationTimestamp"] = GoFormat.Timestamp(pod.Created),
            },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "registry.example/app:latest" }),
                ["serviceAccountName"] = pod.ServiceAccountName,
                ["serviceAccount"] = pod.ServiceAccountName,
            },
            ["status"] = new JsonObject { ["phase"] = "Running" },
        };
        return new ApiResponse(200, json);
    }
}
