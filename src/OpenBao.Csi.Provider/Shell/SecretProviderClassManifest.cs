using OpenBao.Csi.Provider.Internal;
using YamlDotNet.RepresentationModel;

namespace OpenBao.Csi.Provider.Shell;

/// <summary>
/// A SecretProviderClass as a Kubernetes manifest holds it, read with YamlDotNet's representation model
/// (no reflection: the binary is NativeAOT). <see cref="Parameters"/> are what the driver passes: every
/// value a string.
/// </summary>
/// <param name="Problems">What keeps the manifest's parameters from reaching a Mount as the driver would pass them.</param>
internal sealed record SecretProviderClassManifest(string? Name, string? Provider, IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<string> Problems)
{
    public const string Kind = "SecretProviderClass";

    /// <summary>The SecretProviderClasses among the documents of one YAML stream; other kinds are skipped.</summary>
    /// <exception cref="YamlDotNet.Core.YamlException">The text is not YAML.</exception>
    public static IReadOnlyList<SecretProviderClassManifest> ReadAll(TextReader reader)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (Exception ex) when (YamlErrors.IsMalformedInput(ex))
        {
            throw new YamlDotNet.Core.YamlException(ex.Message, ex);
        }

        return [.. stream.Documents
            .Select(document => document.RootNode)
            .OfType<YamlMappingNode>()
            .Where(manifest => Text(manifest, "kind") == Kind)
            .Select(From)];
    }

    private static SecretProviderClassManifest From(YamlMappingNode manifest)
    {
        var name = Child(manifest, "metadata") is YamlMappingNode metadata ? Text(metadata, "name") : null;
        var spec = Child(manifest, "spec") as YamlMappingNode;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        if (spec is null || Child(spec, "parameters") is not YamlMappingNode values)
        {
            problems.Add("spec.parameters is missing");
            return new(name, spec is null ? null : Text(spec, "provider"), parameters, problems);
        }

        foreach (var (key, value) in values.Children)
        {
            var parameter = (key as YamlScalarNode)?.Value ?? string.Empty;
            if (value is YamlScalarNode scalar)
            {
                parameters[parameter] = scalar.Value ?? string.Empty;
            }
            else
            {
                problems.Add($"parameter '{parameter}' must be a string (for objects, write a block scalar: objects: |)");
            }
        }

        return new(name, Text(spec, "provider"), parameters, problems);
    }

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Text(YamlMappingNode mapping, string key) => (Child(mapping, key) as YamlScalarNode)?.Value;
}
