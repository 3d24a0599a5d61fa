using k8s;
using k8s.Autorest;
using k8s.Models;

namespace OpenBao.Csi.Provider.KubernetesApi;

/// <summary>The API server's own explanation from a failed call's Status body (the client does not parse it).</summary>
internal static class KubernetesStatusMessage
{
    public static string From(HttpOperationException exception)
    {
        var content = exception.Response?.Content;
        if (!string.IsNullOrEmpty(content))
        {
            try
            {
                if (KubernetesJson.Deserialize<V1Status>(content) is { Message.Length: > 0 } status)
                {
                    return status.Message;
                }
            }
            catch (System.Text.Json.JsonException)
            {
            }
        }

        return $"HTTP {(int?)exception.Response?.StatusCode}";
    }
}
