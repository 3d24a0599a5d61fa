using System.Text.Json;

namespace OpenBao.Csi.Provider.KubernetesApi;

/// <summary>The API server's own explanation from a failed call's Status body.</summary>
internal static class KubernetesStatusMessage
{
    public static string? FromBody(string? content)
    {
        if (!string.IsNullOrEmpty(content))
        {
            try
            {
                if (JsonSerializer.Deserialize(content, KubernetesJsonContext.Default.KubernetesStatus) is { Message.Length: > 0 } status)
                {
                    return status.Message;
                }
            }
            catch (JsonException)
            {
            }
        }

        return null;
    }
}
