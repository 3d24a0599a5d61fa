using System.Buffers.Text;
using System.Text.Json;

namespace OpenBao.Csi.Provider.Shell;

/// <summary>
/// A JWT's <c>exp</c> claim, read without verifying the signature: only to tell the provider when the token
/// expires, as the kubelet does with a TokenRequest's status, and to know when to ask for a new one.
/// </summary>
internal static class JwtExpiry
{
    /// <returns>Null when the text is not a JWT with a numeric <c>exp</c>.</returns>
    public static DateTimeOffset? Read(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            if (payload.RootElement.ValueKind != JsonValueKind.Object
                || !payload.RootElement.TryGetProperty("exp", out var exp)
                || exp.ValueKind != JsonValueKind.Number
                || !exp.TryGetDouble(out var seconds))
            {
                return null;
            }

            return DateTimeOffset.FromUnixTimeSeconds((long)seconds);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
