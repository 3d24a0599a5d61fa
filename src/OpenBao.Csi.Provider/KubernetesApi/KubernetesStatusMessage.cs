using System.Text.Json;

namespace OpenBao.Csi.Provider.KubernetesApi;

/// <summary>The API server's own explanation from a failed call's Status body.</summary>
internal static class KubernetesStatusMessage
{
    public static string? FromBody(string? content) => StatusOf(content) is { Message.Length: > 0 } status ? status.Message : null;

    /// <summary>The <c>details.causes</c> types (e.g. <c>NamespaceTerminating</c>), which tell refusals with one status apart.</summary>
    public static IReadOnlyList<string> CausesFromBody(string? content) =>
        StatusOf(content)?.Details?.Causes?.Select(cause => cause.Reason).OfType<string>().ToList() ?? [];

    private static KubernetesStatus? StatusOf(string? content)
    {
        if (!string.IsNullOrEmpty(content))
        {
            try
            {
                return JsonSerializer.Deserialize(content, KubernetesJsonContext.Default.KubernetesStatus);
            }
            catch (JsonException)
            {
            }
        }

        return null;
    }
}
