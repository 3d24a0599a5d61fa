using System.Buffers.Text;
using System.Text.Json;

namespace OpenBao.Csi.Provider.Shell;

/// <summary>
/// Claims of a service-account JWT, read without verifying the signature: only to tell the provider what the
/// kubelet would (when the token expires, whose it is), never to decide what the token may do.
/// </summary>
internal static class UnverifiedJwt
{
    /// <summary>The <c>exp</c> claim; null when the text is not a JWT with a numeric one.</summary>
    public static DateTimeOffset? Expiry(string jwt) =>
        WithPayload(jwt, payload => payload.TryGetProperty("exp", out var exp) && exp.ValueKind == JsonValueKind.Number && exp.TryGetDouble(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds((long)seconds)
            : (DateTimeOffset?)null);

    /// <summary>The service account a Kubernetes token was issued for (its <c>kubernetes.io</c> claim); null when it does not say.</summary>
    public static string? ServiceAccount(string jwt) =>
        WithPayload(jwt, payload => payload.TryGetProperty("kubernetes.io", out var claims) && claims.ValueKind == JsonValueKind.Object
            && claims.TryGetProperty("serviceaccount", out var account) && account.ValueKind == JsonValueKind.Object
            && account.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String && name.GetString() is { Length: > 0 } text
                ? text
                : null);

    private static T? WithPayload<T>(string jwt, Func<JsonElement, T?> read)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return default;
        }

        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            return payload.RootElement.ValueKind == JsonValueKind.Object ? read(payload.RootElement) : default;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentOutOfRangeException)
        {
            return default;
        }
    }
}
