using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kubernetes.Emulator;

/// <summary>Tolerant readers: a field of the wrong JSON type reads as absent instead of throwing.</summary>
internal static class JsonRead
{
    public static string? String(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>Parsed numbers and ones the fake stored as int both read.</summary>
    public static long? Int64(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? value.TryGetValue<long>(out var number) ? number : value.TryGetValue<int>(out var small) ? small : null
            : null;

    public static bool? Boolean(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? value.GetValue<bool>() : null;

    public static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(String).OfType<string>()] : [];

    public static IReadOnlyDictionary<string, string> StringMap(JsonNode? node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject json)
        {
            foreach (var (key, value) in json)
            {
                if (String(value) is { } text)
                {
                    map[key] = text;
                }
            }
        }

        return map;
    }
}
