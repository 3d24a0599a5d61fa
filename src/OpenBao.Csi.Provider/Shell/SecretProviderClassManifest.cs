using System.Text.RegularExpressions;
using OpenBao.Csi.Provider.Internal;
using OpenBao.Csi.Provider.Mounting;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OpenBao.Csi.Provider.Shell;

/// <summary>
/// A SecretProviderClass as a Kubernetes manifest holds it, read with YamlDotNet's representation model
/// (no reflection: the binary is NativeAOT). <see cref="Parameters"/> are what the driver passes: every
/// value a string.
/// </summary>
/// <param name="Problems">What keeps the manifest from being applied, or its parameters from reaching a Mount as the driver would pass them.</param>
/// <param name="NotStrings">Parameters whose value is a list or a map, so they are missing from <see cref="Parameters"/>.</param>
internal sealed partial record SecretProviderClassManifest(
    string? Name,
    string? Namespace,
    string? Provider,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyList<string> Problems,
    IReadOnlySet<string> NotStrings)
{
    public const string Kind = "SecretProviderClass";

    public const string NoParameters = "spec.parameters is missing";

    /// <summary>The driver's other kind, which it writes itself.</summary>
    private const string PodStatusKind = "SecretProviderClassPodStatus";

    private const string DriverGroup = "secrets-store.csi.x-k8s.io/";

    /// <summary>The API versions the driver's CRD serves.</summary>
    public static readonly IReadOnlyList<string> ApiVersions = ["secrets-store.csi.x-k8s.io/v1", "secrets-store.csi.x-k8s.io/v1alpha1"];

    /// <summary>The names the driver may send this provider's mounts under: its socket is openbao.sock, or vault.sock in place of Vault's.</summary>
    public static readonly IReadOnlyList<string> ProviderNames = ["openbao", "vault"];

    /// <summary>The provider names as messages list them.</summary>
    public static readonly string ProviderNamesText = string.Join(" or ", ProviderNames);

    /// <summary>How messages name the class.</summary>
    public string Label => $"{Kind} {DisplayName}";

    public string DisplayName => Name ?? "(no name)";

    /// <summary>Whether the driver sends this class's mounts to this provider; false for another provider's class.</summary>
    public bool IsForThisProvider => string.IsNullOrEmpty(Provider) || ProviderNames.Contains(Provider);

    /// <summary>The SecretProviderClasses in a file, or in <paramref name="stdin"/> when the path is <c>-</c>.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="YamlDotNet.Core.YamlException">The text is not YAML.</exception>
    public static IReadOnlyList<SecretProviderClassManifest> ReadAll(string path, TextReader stdin)
    {
        if (path == "-")
        {
            return ReadAll(stdin);
        }

        using var reader = new StreamReader(path);
        return ReadAll(reader);
    }

    /// <summary>Why <see cref="ReadAll(string, TextReader)"/> failed, after the file's name.</summary>
    public static string DescribeReadFailure(Exception failure) => failure is YamlDotNet.Core.YamlException yaml
        ? $"is not valid YAML {YamlErrors.Describe(yaml)}"
        : $"cannot be read: {failure.Message}";

    /// <summary>The SecretProviderClasses among the documents of one YAML stream; other kinds are skipped.</summary>
    /// <exception cref="YamlDotNet.Core.YamlException">The text is not YAML.</exception>
    public static IReadOnlyList<SecretProviderClassManifest> ReadAll(TextReader reader)
    {
        var stream = YamlErrors.Load(reader);
        return [.. stream.Documents
            .Select(document => document.RootNode)
            .OfType<YamlMappingNode>()
            .Where(IsMeantAsAClass)
            .Select(From)];
    }

    /// <summary>A SecretProviderClass, or any other kind in the driver's group but its own two (a misspelt class).</summary>
    private static bool IsMeantAsAClass(YamlMappingNode manifest) => Text(manifest, "kind") switch
    {
        Kind => true,
        null or PodStatusKind => false,
        var kind => !kind.EndsWith("List", StringComparison.Ordinal)
            && Text(manifest, "apiVersion")?.StartsWith(DriverGroup, StringComparison.Ordinal) == true,
    };

    private static SecretProviderClassManifest From(YamlMappingNode manifest)
    {
        var metadata = Child(manifest, "metadata") as YamlMappingNode;
        var (name, ns) = metadata is null ? (null, null) : (Text(metadata, "name"), Text(metadata, "namespace"));
        var spec = Child(manifest, "spec") as YamlMappingNode;
        var provider = spec is null ? null : Text(spec, "provider");
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var notStrings = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        if (Text(manifest, "kind") is var kind && kind != Kind)
        {
            // A misspelt kind in the driver's group would be passed over as some other manifest.
            problems.Add($"kind '{kind}' is not a kind of the driver's API group: write {Kind}");
        }

        if (string.IsNullOrEmpty(name))
        {
            problems.Add("metadata.name is missing: the API server refuses an object without one");
        }

        if (Text(manifest, "apiVersion") is not { } apiVersion || !ApiVersions.Contains(apiVersion))
        {
            problems.Add($"apiVersion must be {string.Join(" or ", ApiVersions)}, the versions the driver's CRD serves");
        }

        if (string.IsNullOrEmpty(provider))
        {
            problems.Add($"spec.provider is missing: the driver refuses the class (set it to {ProviderNames[0]})");
        }

        if (spec is null || Child(spec, "parameters") is not YamlMappingNode values)
        {
            problems.Add(NoParameters);
            return new(name, ns, provider, parameters, problems, notStrings);
        }

        foreach (var (key, value) in values.Children)
        {
            var parameter = (key as YamlScalarNode)?.Value ?? string.Empty;
            if (value is YamlScalarNode scalar)
            {
                parameters[parameter] = scalar.Value ?? string.Empty;
                switch (NotAStringToKubernetes(scalar))
                {
                    case null:
                        break;
                    case "null":
                        // The API server prunes a null where its schema does not allow one.
                        problems.Add($"parameter '{parameter}' has no value, so Kubernetes drops it (the CRD takes only strings): write '' or remove it");
                        break;
                    case var type:
                        problems.Add($"parameter '{parameter}' is {type} to Kubernetes, whose CRD takes only strings here: quote it ('{scalar.Value}')");
                        break;
                }
            }
            else
            {
                notStrings.Add(parameter);
                problems.Add($"parameter '{parameter}' must be a string (for objects, write a block scalar: objects: |)");
            }
        }

        return new(name, ns, provider, parameters, problems, notStrings);
    }

    /// <summary>
    /// What kubectl's YAML reader (YAML 1.1, as sigs.k8s.io/yaml resolves it) makes of an unquoted value that is not
    /// a string: the API server then refuses the manifest, although every parameter reads as text here.
    /// </summary>
    private static string? NotAStringToKubernetes(YamlScalarNode scalar)
    {
        // go-yaml decodes other tags (local ones, !!binary, !!timestamp) to strings.
        if (!scalar.Tag.IsEmpty)
        {
            return scalar.Tag.Value is "tag:yaml.org,2002:bool" or "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float" or "tag:yaml.org,2002:null"
                ? $"tagged {scalar.Tag.Value}"
                : null;
        }

        if (scalar.Style != ScalarStyle.Plain)
        {
            return null;
        }

        var value = scalar.Value ?? string.Empty;
        return value switch
        {
            _ when YamlScalars.IsNullWord(value) => "null",
            _ when YamlBoolean().IsMatch(value) => "a boolean",
            _ when YamlNumber().IsMatch(value) => "a number",
            _ => null,
        };
    }

    [GeneratedRegex("^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")]
    private static partial Regex YamlBoolean();

    [GeneratedRegex(@"^([-+]?(0|[1-9][0-9_]*|0[0-7_]+|0[oO][0-7_]+|0[xX][0-9a-fA-F_]+|0[bB][01_]+)|[-+]?(\.[0-9_]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9_]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex YamlNumber();

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Text(YamlMappingNode mapping, string key) => (Child(mapping, key) as YamlScalarNode)?.Value;
}
