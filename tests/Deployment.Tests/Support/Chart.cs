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

    private static IEnumerable<ValidationError> Flatten(ValidationError error) =>
        error is ChildSchemaValidationError child
            ? [error, .. child.Errors.SelectMany(e => e.Value).SelectMany(Flatten)]
            : [error];
}
