using k8s;
using k8s.Autorest;
using k8s.Models;

namespace OpenBao.Csi.Provider.KubernetesApi;

/// <summary>The API server's own explanation from a failed call's Status body (the client does not parse it).</summary>
internal static class KubernetesStatusMessage
{
    public static string From(HttpOperationException exception) =>
        FromBody(exception.Response?.Content) ?? $"HTTP {(int?)exception.Response?.StatusCode}";

    public static string? FromBody(string? content)
    {
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

        return null;
    }
}
