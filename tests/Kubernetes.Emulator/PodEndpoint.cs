using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Kubernetes.Emulator;

/// <summary>
/// <c>GET /api/v1/namespaces/{ns}/pods/{name}</c>, for clients that look a pod up before asking for its token,
/// and the pod lists <c>GET /api/v1/pods</c> and <c>GET /api/v1/namespaces/{ns}/pods</c>.
/// </summary>
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

        return new ApiResponse(200, PodJson.Object(pod));
    }

    /// <param name="namespace">Null lists across all namespaces.</param>
    public ApiResponse List(string? @namespace, IQueryCollection query)
    {
        // Authorization runs before the handler decodes any parameter.
        if (store.IsDenied("list", "pods", @namespace ?? string.Empty))
        {
            return KubernetesStatus.Forbidden(options.CallerUserName, "list", "pods", null, @namespace ?? string.Empty, string.Empty);
        }

        var (parsed, failure) = ListQuery.Parse(query, PodFields.ConvertLabel);
        if (parsed is null)
        {
            return failure!;
        }

        var (requested, invalid) = ResourceVersions.Parse(parsed.ResourceVersion);
        if (invalid is not null)
        {
            return invalid;
        }

        var (pods, resourceVersion) = store.ListPods();

        // Unset and "0" take the current state; any other value asks for at least that fresh. A real
        // server waits up to 3 s for a resourceVersion it has not reached yet; the fake answers at once.
        if (requested > (ulong)resourceVersion)
        {
            return KubernetesStatus.TooLargeResourceVersion(requested, resourceVersion);
        }

        var items = new JsonArray();
        foreach (var pod in pods)
        {
            if ((@namespace is null || pod.Namespace == @namespace) && parsed.FieldSelector.Matches(pod))
            {
                items.Add(PodJson.ListItem(pod));
            }
        }

        var list = new JsonObject
        {
            ["kind"] = "PodList",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = PodJson.ResourceVersion(resourceVersion) },
            ["items"] = items,
        };
        return new ApiResponse(200, list);
    }
}
