using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OpenBao.Csi.Provider.Deployment.Tests.Support;

/// <summary>
/// YAML read the way Kubernetes and Helm read it (YAML 1.1 scalars through go-yaml), turned
/// into JSON nodes so documents can be navigated, compared and schema-validated.
/// </summary>
internal static partial class Yaml
{
    // go-yaml v2 resolves these plain scalars to booleans; Helm values and manifests go through it.
    private static readonly HashSet<string> True = ["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"];
    private static readonly HashSet<string> False = ["false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"];

    public static IReadOnlyList<JsonObject> LoadDocuments(string path) => ParseDocuments(File.ReadAllText(path));

    public static IReadOnlyList<JsonObject> ParseDocuments(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents
            .Select(d => ToJson(d.RootNode))
            .OfType<JsonObject>()
            .ToList();
    }

    public static JsonNode? Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count == 0 ? null : ToJson(stream.Documents[0].RootNode);
    }

    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => ToObject(map),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException($"YAML node {node.NodeType} at {node.Start}"),
    };

    private static JsonObject ToObject(YamlMappingNode map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            var name = ((YamlScalarNode)key).Value ?? string.Empty;
            if (obj.ContainsKey(name))
            {
                throw new InvalidDataException($"duplicate key '{name}' at {key.Start}");
            }

            obj[name] = ToJson(value);
        }

        return obj;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (True.Contains(text))
        {
            return JsonValue.Create(true);
        }

        if (False.Contains(text))
        {
            return JsonValue.Create(false);
        }

        if (OctalPattern().IsMatch(text))
        {
            return JsonValue.Create(Convert.ToInt64(text, 8));
        }

        if (IntegerPattern().IsMatch(text))
        {
            return JsonValue.Create(long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        }

        if (FloatPattern().IsMatch(text))
        {
            return JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return JsonValue.Create(text);
    }

    [GeneratedRegex("^0[0-7]+$")]
    private static partial Regex OctalPattern();

    [GeneratedRegex("^[-+]?(0|[1-9][0-9]*)$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
