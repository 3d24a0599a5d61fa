using System.Globalization;
using System.Text.Json;
using OpenBao.Emulator.Internal.Formatting;

namespace OpenBao.Emulator.Internal.Http;

/// <summary>
/// The request's parameters (JSON body for writes, query for reads), read with the lenient
/// conversions of OpenBao's field schema: numbers pass as strings, durations as numbers or text.
/// </summary>
internal sealed class RequestFields
{
    private readonly Dictionary<string, JsonElement> _values;

    private RequestFields(Dictionary<string, JsonElement> values)
    {
        _values = values;
    }

    public static RequestFields Empty { get; } = new([]);

    public static RequestFields FromJsonObject(JsonElement body)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            values[property.Name] = property.Value.Clone();
        }

        return new RequestFields(values);
    }

    public static RequestFields FromQuery(IEnumerable<KeyValuePair<string, string>> query) =>
        new(query.ToDictionary(pair => pair.Key, pair => JsonValueWriter.ToElement(pair.Value), StringComparer.Ordinal));

    /// <summary>The value as text; empty when absent or null (OpenBao does not tell the two apart).</summary>
    public string GetString(string name)
    {
        if (!_values.TryGetValue(name, out var value))
        {
            return "";
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => "",
        };
    }

    /// <summary>A comma-separated string or a JSON array of strings.</summary>
    public IReadOnlyList<string> GetList(string name)
    {
        if (!_values.TryGetValue(name, out var value))
        {
            return [];
        }

        IEnumerable<string> items = value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText())
            : GetString(name).Split(',');
        return [.. items.Select(item => item.Trim()).Where(item => item.Length > 0)];
    }

    /// <summary>Integer field; false (with OpenBao's message) when present but not an integer.</summary>
    public bool TryGetInt(string name, out int result, out string? error)
    {
        result = 0;
        error = null;
        var text = GetString(name);
        if (text.Length == 0 || int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result))
        {
            return true;
        }

        error = ConversionError(text, name);
        return false;
    }

    /// <summary>
    /// OpenBao's <c>TypeCommaIntSlice</c>: a JSON array of integers (or of integer strings), a
    /// comma-separated string or a single number. Empty when absent.
    /// </summary>
    public bool TryGetIntList(string name, out IReadOnlyList<int> result, out string? error)
    {
        var parsed = new List<int>();
        result = parsed;
        error = null;
        foreach (var item in GetList(name))
        {
            if (!int.TryParse(item, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                error = ConversionError(item, name);
                return false;
            }

            parsed.Add(number);
        }

        return true;
    }

    /// <summary>A JSON bool, or text Go's <c>ParseBool</c> accepts; false when absent.</summary>
    public bool TryGetBool(string name, out bool result, out string? error)
    {
        result = false;
        error = null;
        var text = GetString(name);
        if (text.Length == 0)
        {
            return true;
        }

        if (GoBool.Parse(text) is { } parsed)
        {
            result = parsed;
            return true;
        }

        error = ConversionError(text, name);
        return false;
    }

    /// <summary>A seconds-or-Go-duration field such as <c>increment</c> or <c>ttl</c>.</summary>
    public bool TryGetDuration(string name, out TimeSpan result, out string? error)
    {
        result = TimeSpan.Zero;
        error = null;
        var text = GetString(name);
        if (text.Length == 0)
        {
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            result = TimeSpan.FromSeconds(Math.Truncate(seconds));
            return true;
        }

        if (GoDuration.TryParse(text, out result))
        {
            return true;
        }

        error = ConversionError(text, name);
        return false;
    }

    private static string ConversionError(string text, string name) =>
        $"error converting input {text} for field \"{name}\"";
}
