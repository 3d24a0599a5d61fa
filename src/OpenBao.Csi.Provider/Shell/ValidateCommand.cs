using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Hosting;

/// <summary>
/// <c>openbao-csi-provider validate FILE...</c>: checks SecretProviderClass manifests offline with the
/// Mount parser, so a GitOps repository's CI catches what would otherwise be a pod's FailedMount.
/// Other kinds of manifests in the files are skipped. Exit 1 when anything is wrong, 2 for bad usage.
/// </summary>
internal static class ValidateCommand
{
    public const string Name = "validate";

    public static int Run(IReadOnlyList<string> files, TextWriter output, TextWriter errors)
    {
        if (files.Count == 0)
        {
            errors.WriteLine("usage: openbao-csi-provider validate FILE... (SecretProviderClass manifests, several documents per file allowed)");
            return 2;
        }

        var failed = false;
        foreach (var file in files)
        {
            failed |= !ValidateFile(file, output);
        }

        return failed ? 1 : 0;
    }

    private static bool ValidateFile(string file, TextWriter output)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(file);
            stream.Load(reader);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or YamlException)
        {
            output.WriteLine($"{file}: cannot be read as YAML: {ex.Message}");
            return false;
        }

        var valid = true;
        var found = 0;
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode manifest || Text(manifest, "kind") != "SecretProviderClass")
            {
                continue;
            }

            found++;
            var name = (Child(manifest, "metadata") as YamlMappingNode is { } metadata ? Text(metadata, "name") : null) ?? "(no name)";
            var label = $"{file}: SecretProviderClass {name}";
            var (parameters, shapeProblems) = Parameters(manifest);
            var (problems, warnings, objects) = MountRequestParser.Check(parameters);
            foreach (var problem in shapeProblems.Concat(problems))
            {
                output.WriteLine($"{label}: {problem}");
            }

            foreach (var warning in warnings)
            {
                output.WriteLine($"{label}: warning: {warning}");
            }

            if (shapeProblems.Count + problems.Count == 0)
            {
                output.WriteLine($"{label}: ok ({objects} objects)");
            }
            else
            {
                valid = false;
            }
        }

        if (found == 0)
        {
            output.WriteLine($"{file}: no SecretProviderClass (skipped)");
        }

        return valid;
    }

    /// <summary><c>spec.parameters</c> as the driver passes them: every value a string.</summary>
    private static (Dictionary<string, string> Parameters, List<string> Problems) Parameters(YamlMappingNode manifest)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        if (Child(manifest, "spec") is not YamlMappingNode spec || Child(spec, "parameters") is not YamlMappingNode values)
        {
            problems.Add("spec.parameters is missing");
            return (parameters, problems);
        }

        foreach (var (key, value) in values.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? string.Empty;
            if (value is YamlScalarNode scalar)
            {
                parameters[name] = scalar.Value ?? string.Empty;
            }
            else
            {
                problems.Add($"parameter '{name}' must be a string (for objects, write a block scalar: objects: |)");
            }
        }

        return (parameters, problems);
    }

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Text(YamlMappingNode mapping, string key) => (Child(mapping, key) as YamlScalarNode)?.Value;
}
