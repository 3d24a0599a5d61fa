using System.Globalization;
using System.Text.Json;

namespace OpenBao.Emulator.Internal.Crypto;

/// <summary>Typed reads of a JWT's claims object.</summary>
internal static class JwtClaims
{
    /// <summary>A top-level claim, or a nested one when <paramref name="name"/> is a JSON pointer (<c>/a/b</c>).</summary>
    public static JsonElement? Get(JsonElement claims, string name)
    {
        if (!name.StartsWith('/'))
        {
            return claims.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
        }

        var current = claims;
        foreach (var token in name[1..].Split('/'))
        {
            var key = token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(key, out current))
            {
                return null;
            }
        }

        return current.ValueKind == JsonValueKind.Null ? null : current;
    }

    public static string GetString(JsonElement claims, string name) =>
        Get(claims, name) is { ValueKind: JsonValueKind.String } value ? value.GetString()! : "";

    /// <summary><c>aud</c> may be one string or a list.</summary>
    public static IReadOnlyList<string> Audiences(JsonElement claims) => Get(claims, "aud") switch
    {
        { ValueKind: JsonValueKind.String } single => [single.GetString()!],
        { ValueKind: JsonValueKind.Array } list => [.. list.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!)],
        _ => [],
    };

    /// <summary>Seconds since the epoch; zero when absent, as go-jose reads it.</summary>
    public static long NumericDate(JsonElement claims, string name) =>
        Get(claims, name) is { ValueKind: JsonValueKind.Number } value ? (long)Math.Floor(value.GetDouble()) : 0;

    /// <summary>A claim as the list of strings OpenBao compares bound claims against.</summary>
    public static IReadOnlyList<string> AsStringList(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => [.. value.EnumerateArray().SelectMany(AsStringList)],
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.True => ["true"],
        JsonValueKind.False => ["false"],
        JsonValueKind.Number => [value.GetDouble().ToString(CultureInfo.InvariantCulture)],
        _ => [],
    };
}
