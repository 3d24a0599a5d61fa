using System.Globalization;
using System.Text.Json.Nodes;

namespace Kubernetes.Emulator;

/// <summary>
/// One RFC 6902 operation, applied as evanphx/json-patch (v4, the API server's) applies it: the parent of
/// the path must exist, <c>remove</c> and <c>replace</c> need the target, <c>-</c> appends to an array.
/// Only success matters: every failure is the same generic 422 on the wire.
/// </summary>
internal static class JsonPatchOperation
{
    /// <returns>False when the operation does not apply; <paramref name="document"/> may then be half changed.</returns>
    public static bool TryApply(ref JsonNode? document, JsonObject operation)
    {
        var path = JsonRead.String(operation["path"]) ?? string.Empty;
        switch (JsonRead.String(operation["op"]))
        {
            case "add":
                return operation.TryGetPropertyValue("value", out var added) && Add(document, path, added?.DeepClone());
            case "remove":
                return Remove(document, path, out _);
            case "replace":
                return operation.TryGetPropertyValue("value", out var replacement)
                    && Get(document, path, out _)
                    && Remove(document, path, out _)
                    && Add(document, path, replacement?.DeepClone());
            case "move":
                var from = JsonRead.String(operation["from"]) ?? string.Empty;
                return Remove(document, from, out var moved) && Add(document, path, moved);
            case "copy":
                return Get(document, JsonRead.String(operation["from"]) ?? string.Empty, out var copied)
                    && Add(document, path, copied?.DeepClone());
            case "test":
                return Get(document, path, out var actual)
                    && JsonNode.DeepEquals(actual, operation["value"]);
            default:
                return false;
        }
    }

    private static bool Add(JsonNode? document, string path, JsonNode? value)
    {
        if (!TryParent(document, path, out var parent, out var key))
        {
            return false;
        }

        switch (parent)
        {
            case JsonObject map:
                map[key] = value;
                return true;
            case JsonArray array when key == "-":
                array.Add(value);
                return true;
            case JsonArray array when TryIndex(key, array.Count + 1, out var index):
                array.Insert(index, value);
                return true;
            default:
                return false;
        }
    }

    private static bool Remove(JsonNode? document, string path, out JsonNode? removed)
    {
        removed = null;
        if (!Get(document, path, out removed) || !TryParent(document, path, out var parent, out var key))
        {
            return false;
        }

        if (parent is JsonObject map)
        {
            map.Remove(key);
        }
        else
        {
            ((JsonArray)parent!).RemoveAt(int.Parse(key, CultureInfo.InvariantCulture));
        }

        // Detached, so it can be added elsewhere.
        removed = removed?.DeepClone();
        return true;
    }

    private static bool Get(JsonNode? document, string path, out JsonNode? value)
    {
        value = null;
        if (!TryParent(document, path, out var parent, out var key))
        {
            return false;
        }

        switch (parent)
        {
            case JsonObject map when map.TryGetPropertyValue(key, out value):
                return true;
            case JsonArray array when TryIndex(key, array.Count, out var index):
                value = array[index];
                return true;
            default:
                return false;
        }
    }

    /// <summary>Walks an RFC 6901 pointer to the container of its last token; the whole document is never a target.</summary>
    private static bool TryParent(JsonNode? document, string path, out JsonNode? parent, out string key)
    {
        parent = null;
        key = string.Empty;
        if (!path.StartsWith('/'))
        {
            return false;
        }

        var tokens = path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        var current = document;
        foreach (var token in tokens[..^1])
        {
            current = current switch
            {
                JsonObject map => map[token],
                JsonArray array when TryIndex(token, array.Count, out var index) => array[index],
                _ => null,
            };
        }

        parent = current;
        key = tokens[^1];
        return parent is JsonObject or JsonArray;
    }

    private static bool TryIndex(string token, int count, out int index) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out index) && index < count;
}
