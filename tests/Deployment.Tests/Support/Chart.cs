using System.Text.Json.Nodes;
using NJsonSchema;
using NJsonSchema.Validation;

namespace OpenBao.Csi.Provider.Deployment.Tests.Support;

/// <summary>The Helm chart's files, read without helm (which the build machine lacks).</summary>
internal static class Chart
{
    private static readonly Lazy<Task<JsonSchema>> Schema = new(() => JsonSchema.FromJsonAsync(SchemaText));

    public static string SchemaText => File.ReadAllText(Path.Combine(Repo.ChartDir, "values.schema.json"));

    public static JsonObject SchemaJson => JsonNode.Parse(SchemaText)!.AsObject();

    public static JsonObject Values => Yaml.LoadDocuments(Path.Combine(Repo.ChartDir, "values.yaml")).Single();

    public static JsonObject Metadata => Yaml.LoadDocuments(Path.Combine(Repo.ChartDir, "Chart.yaml")).Single();

    public static IEnumerable<string> TemplateFiles => Directory.EnumerateFiles(Path.Combine(Repo.ChartDir, "templates"));

    public static string Template(string name) => File.ReadAllText(Path.Combine(Repo.ChartDir, "templates", name));

    /// <summary>Validates what Helm validates: the defaults with the user's values merged over them.</summary>
    public static async Task<IReadOnlyList<string>> ValidateAsync(string overridesYaml = "")
    {
        var values = Values;
        if (Yaml.Parse(overridesYaml) is JsonObject overrides)
        {
            values = Json.Coalesce(values, overrides);
        }

        var schema = await Schema.Value;
        return [.. schema.Validate(values.ToJsonString()).SelectMany(Flatten).Select(e => $"{e.Path}: {e.Kind}")];
    }

    /// <summary>Whether the schema defines a value at this path (a.b.c as ["a","b","c"]).</summary>
    public static bool Defines(IReadOnlyList<string> path)
    {
        var root = SchemaJson;
        JsonObject? node = root;
        foreach (var step in path)
        {
            node = Resolve(root, node);
            if (node?["properties"] is not JsonObject properties)
            {
                // A free-form object (Kubernetes fields, agent, global): anything below is fine.
                return node is not null;
            }

            if (properties[step] is not JsonObject next)
            {
                return false;
            }

            node = next;
        }

        return true;
    }

    /// <summary>Follows $ref and merges allOf, the two indirections the schema uses.</summary>
    private static JsonObject? Resolve(JsonObject root, JsonObject? node)
    {
        if (node?["$ref"]?.GetValue<string>() is { } reference)
        {
            node = root["definitions"]?[reference.Split('/')[^1]]?.AsObject();
        }

        if (node?["allOf"] is JsonArray parts)
        {
            return Resolve(root, parts[0]!.AsObject());
        }

        return node;
    }

    private static IEnumerable<ValidationError> Flatten(ValidationError error) =>
        error is ChildSchemaValidationError child
            ? [error, .. child.Errors.SelectMany(e => e.Value).SelectMany(Flatten)]
            : [error];
}
