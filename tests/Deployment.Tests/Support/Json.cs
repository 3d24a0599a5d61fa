using System.Text.Json.Nodes;

namespace OpenBao.Csi.Provider.Deployment.Tests.Support;

/// <summary>Navigation over parsed manifests that fails with the path it could not follow.</summary>
internal static class Json
{
    public static JsonNode At(this JsonNode node, params string[] path)
    {
        var current = node;
        foreach (var step in path)
        {
            current = current[step] ?? throw new Xunit.Sdk.XunitException(
                $"missing '{step}' in {string.Join('.', path)} of {Describe(node)}");
        }

        return current;
    }

    public static JsonNode? Find(this JsonNode node, params string[] path)
    {
        JsonNode? current = node;
        foreach (var step in path)
        {
            current = current?[step];
        }

        return current;
    }

    public static string Str(this JsonNode node, params string[] path) => node.At(path).GetValue<string>();

    public static IEnumerable<JsonObject> Objects(this JsonNode node, params string[] path) =>
        node.At(path).AsArray().Select(n => n!.AsObject());

    public static IEnumerable<string> Strings(this JsonNode? node) =>
        node is JsonArray array ? array.Select(n => n!.GetValue<string>()) : [];

    public static string Kind(this JsonObject doc) => doc.Find("kind")?.GetValue<string>() ?? "";

    public static string Name(this JsonObject doc) => doc.Find("metadata", "name")?.GetValue<string>() ?? "";

    public static string? Namespace(this JsonObject doc) => doc.Find("metadata", "namespace")?.GetValue<string>();

    /// <summary>Helm's merge of user values over defaults: maps merge, null removes a key.</summary>
    public static JsonObject Coalesce(JsonObject defaults, JsonObject overrides)
    {
        var result = defaults.DeepClone().AsObject();
        foreach (var (key, value) in overrides)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else if (value is JsonObject map && result[key] is JsonObject existing)
            {
                result[key] = Coalesce(existing, map);
            }
            else
            {
                result[key] = value.DeepClone();
            }
        }

        return result;
    }

    private static string Describe(JsonNode node) =>
        node is JsonObject obj && obj.Find("kind") is { } kind ? $"{kind}/{obj.Find("metadata", "name")}" : "document";
}
