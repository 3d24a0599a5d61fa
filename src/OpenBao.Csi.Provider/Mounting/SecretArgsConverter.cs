using System.Globalization;
using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OpenBao.Csi.Provider.Mounting;

/// <summary>
/// Turns <c>secretArgs</c> (a YAML mapping) into the JSON request body, typing plain scalars as
/// YAML 1.2 does so <c>ttl: 24h</c> stays a string and <c>count: 3</c> becomes a number.
/// </summary>
internal static class SecretArgsConverter
{
    public static string? ToJson(YamlNode node, string label, List<string> problems)
    {
        if (node is YamlScalarNode { Value: { } text } && text.TrimStart().StartsWith('{'))
        {
            return JsonObjectText(text, label, problems);
        }

        if (node is not YamlMappingNode mapping)
        {
            problems.Add($"{label}: secretArgs must be a mapping of request body fields");
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, mapping);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string? JsonObjectText(string text, string label, List<string> problems)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document.RootElement.GetRawText();
            }
        }
        catch (JsonException)
        {
        }

        problems.Add($"{label}: secretArgs is a string but not a JSON object");
        return null;
    }

    private static void Write(Utf8JsonWriter writer, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping.Children)
                {
                    writer.WritePropertyName((key as YamlScalarNode)?.Value ?? string.Empty);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Children)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(writer, scalar);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (YamlScalars.IsNull(scalar))
        {
            writer.WriteNullValue();
        }
        else if (YamlScalars.IsString(scalar))
        {
            writer.WriteStringValue(text);
        }
        else if (text is "true" or "True" or "TRUE")
        {
            writer.WriteBooleanValue(true);
        }
        else if (text is "false" or "False" or "FALSE")
        {
            writer.WriteBooleanValue(false);
        }
        else if (YamlScalars.TryParseInteger(text, out var integer))
        {
            writer.WriteNumberValue(integer);
        }
        else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(text);
        }
    }
}
