using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kubernetes.Emulator;

/// <summary>
/// Reads JSON into Go-typed fields the way the API server's decoder (encoding/json) does, so a body it
/// would refuse is refused here with its text. A value of the wrong JSON type is remembered and decoding
/// goes on, as encoding/json does; a timestamp that cannot be parsed stops it, and wins.
/// </summary>
internal sealed class GoJsonReader
{
    private string? _mismatch;
    private string? _fatal;

    /// <summary>What the decode as a whole fails with, or null.</summary>
    public string? Error => _fatal ?? _mismatch;

    /// <summary>The JSON kind as encoding/json names it in "cannot unmarshal X into ...".</summary>
    public static string KindName(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "null",
    };

    /// <param name="structName">The Go struct holding the field, e.g. <c>ObjectReference</c>.</param>
    /// <param name="path">The field's JSON path from the top, e.g. <c>involvedObject.name</c>.</param>
    /// <returns>The string; null when absent, JSON null, or of another type.</returns>
    public string? String(JsonObject? parent, string key, string structName, string path)
    {
        var node = parent?[key];
        if (node is null)
        {
            return null;
        }

        if (JsonRead.String(node) is { } text)
        {
            return text;
        }

        Mismatch(KindName(node), structName, path, "string");
        return null;
    }

    /// <returns>The number; null when absent, JSON null, or not an int32.</returns>
    public int? Int32(JsonObject? parent, string key, string structName, string path)
    {
        var node = parent?[key];
        if (node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.Number)
        {
            Mismatch(KindName(node), structName, path, "int32");
            return null;
        }

        if (node is JsonValue value && value.TryGetValue<int>(out var number))
        {
            return number;
        }

        // Fractions, exponents and overflow all name the literal.
        Mismatch($"number {node.ToJsonString()}", structName, path, "int32");
        return null;
    }

    /// <param name="goType">The Go type for the message, e.g. <c>v1.ObjectReference</c>.</param>
    /// <returns>The object; null when absent, JSON null, or of another type.</returns>
    public JsonObject? Struct(JsonObject? parent, string key, string structName, string path, string goType)
    {
        var node = parent?[key];
        if (node is null or JsonObject)
        {
            return node as JsonObject;
        }

        Mismatch(KindName(node), structName, path, goType);
        return null;
    }

    /// <summary>A <c>map[string]string</c> such as labels: the map and each value are checked.</summary>
    public void StringMap(JsonObject? parent, string key, string structName, string path)
    {
        if (Struct(parent, key, structName, path, "map[string]string") is not { } map)
        {
            return;
        }

        foreach (var (entryKey, _) in map)
        {
            String(map, entryKey, structName, path);
        }
    }

    /// <summary>
    /// A metav1.Time, or a metav1.MicroTime when <paramref name="micro"/>: JSON null and the zero time are
    /// written as null, anything else in its wire form (whole seconds, or six fractional digits).
    /// </summary>
    public JsonNode? Time(JsonObject? parent, string key, string structName, string path, bool micro)
    {
        var node = parent?[key];
        if (node is null)
        {
            return null;
        }

        if (JsonRead.String(node) is not { } text)
        {
            // The type's UnmarshalJSON decodes a string first; encoding/json adds the field to that error.
            _fatal ??= Message(KindName(node), structName, path, "string");
            return null;
        }

        var (value, error) = GoTime.Parse(micro ? GoTime.Rfc3339Micro : GoTime.Rfc3339, text);
        if (error is not null)
        {
            _fatal ??= error;
            return null;
        }

        // Go's zero time (year 1) marshals as null once the wire form has dropped what it cannot hold.
        Func<DateTimeOffset, string> format = micro ? GoFormat.MicroTimestamp : GoFormat.Timestamp;
        var wire = format(value);
        return wire == format(DateTimeOffset.MinValue) ? null : JsonValue.Create(wire);
    }

    private static string Message(string kind, string structName, string path, string goType) =>
        $"json: cannot unmarshal {kind} into Go struct field {structName}.{path} of type {goType}";

    private void Mismatch(string kind, string structName, string path, string goType) =>
        _mismatch ??= Message(kind, structName, path, goType);
}
