using System.Text;
using System.Text.Json;

namespace OpenBao.Csi.Provider.Rendering;

/// <summary>
/// A whole OpenBao response as the Go providers write it for an object that names no <c>secretKey</c>: Go's
/// <c>json.Marshal</c> of the API client's <c>Secret</c>, which has request_id, lease_id, lease_duration, renewable,
/// data and warnings in that order (zero values when absent) and auth only when set, and drops the rest of what the
/// server sent (<c>wrap_info: null</c>, <c>mount_type</c>). Values keep OpenBao's own text, which its Go encoder wrote
/// as the Go client's would.
/// </summary>
internal static class GoSecretJson
{
    private static readonly string[] EnvelopeFields = ["request_id", "lease_id", "lease_duration", "renewable", "data", "warnings", "auth", "wrap_info"];

    /// <summary>
    /// Whether the body is OpenBao's response envelope. The Go client takes a body with none of its fields (an endpoint
    /// answering plain JSON) as the data itself.
    /// </summary>
    public static bool HasEnvelope(JsonElement response) => EnvelopeFields.Any(field => response.TryGetProperty(field, out _));

    public static byte[] Of(JsonElement response)
    {
        var data = HasEnvelope(response) ? Raw(response, "data", "null", JsonValueKind.Object) : response.GetRawText();
        var json = new StringBuilder("{\"request_id\":").Append(Raw(response, "request_id", "\"\"", JsonValueKind.String))
            .Append(",\"lease_id\":").Append(Raw(response, "lease_id", "\"\"", JsonValueKind.String))
            .Append(",\"lease_duration\":").Append(Raw(response, "lease_duration", "0", JsonValueKind.Number))
            .Append(",\"renewable\":").Append(Raw(response, "renewable", "false", JsonValueKind.True, JsonValueKind.False))
            .Append(",\"data\":").Append(data)
            .Append(",\"warnings\":").Append(Raw(response, "warnings", "null", JsonValueKind.Array));
        if (response.TryGetProperty("auth", out var auth) && auth.ValueKind == JsonValueKind.Object)
        {
            json.Append(",\"auth\":").Append(auth.GetRawText());
        }

        return Encoding.UTF8.GetBytes(json.Append('}').ToString());
    }

    private static string Raw(JsonElement response, string name, string zero, params JsonValueKind[] kinds) =>
        response.TryGetProperty(name, out var value) && kinds.Contains(value.ValueKind) ? value.GetRawText() : zero;
}
