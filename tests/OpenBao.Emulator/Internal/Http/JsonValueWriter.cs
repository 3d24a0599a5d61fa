using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text.Json;
using OpenBao.Emulator.Internal.Formatting;

namespace OpenBao.Emulator.Internal.Http;

/// <summary>
/// Writes the loosely typed values of response data the way Go's encoder would: maps with their keys
/// sorted, times in RFC 3339. Kept hand-written so no reflection-based serialiser is involved.
/// </summary>
internal static class JsonValueWriter
{
    public static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case uint number:
                writer.WriteNumberValue(number);
                break;
            case ulong number:
                writer.WriteNumberValue(number);
                break;
            case double number:
                writer.WriteNumberValue(number);
                break;
            case float number:
                writer.WriteNumberValue(number);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case DateTimeOffset time:
                writer.WriteStringValue(GoTime.Format(time));
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                WriteMap(writer, pairs);
                break;
            case IDictionary map:
                WriteMap(writer, Entries(map));
                break;
            case IEnumerable sequence:
                writer.WriteStartArray();
                foreach (var item in sequence)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new NotSupportedException($"The emulator cannot write a {value.GetType()} as JSON.");
        }
    }

    /// <summary>Freezes caller-supplied data, so later changes to their dictionary cannot leak in.</summary>
    public static JsonElement ToElement(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, value);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static IEnumerable<KeyValuePair<string, object?>> Entries(IDictionary map)
    {
        foreach (DictionaryEntry entry in map)
        {
            yield return new(Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!, entry.Value);
        }
    }

    private static void WriteMap(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, object?>> pairs)
    {
        var entries = pairs.ToList();
        entries.Sort((left, right) => string.CompareOrdinal(left.Key, right.Key));
        writer.WriteStartObject();
        foreach (var (key, item) in entries)
        {
            writer.WritePropertyName(key);
            Write(writer, item);
        }

        writer.WriteEndObject();
    }
}
