using System.Text.Json;

namespace OpenBao.Csi.Provider.KubernetesApi;

/// <summary>The API server's own explanation from a failed call's Status body.</summary>
internal static class KubernetesStatusMessage
{
    /// <returns>
    /// The message, when there is one, the reason, and the <c>details.causes</c> types (e.g. <c>NamespaceTerminating</c>),
    /// which tell refusals with one status apart.
    /// </returns>
    public static (string? Message, string? Reason, IReadOnlyList<string> Causes) Read(string? content)
    {
        var status = StatusOf(content);
        return (
            status is { Message.Length: > 0 } ? status.Message : null,
            status is { Reason.Length: > 0 } ? status.Reason : null,
            status?.Details?.Causes?.Select(cause => cause.Reason).OfType<string>().ToList() ?? []);
    }

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
