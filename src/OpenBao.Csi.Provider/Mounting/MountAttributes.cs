using System.Text.Json;
using OpenBao.Csi.Provider.Internal;

namespace OpenBao.Csi.Provider.Mounting;

/// <summary>
/// A MountRequest's attributes JSON, read once per mount: the string values by key, and what was wrong
/// with the JSON itself. Identifying the caller and parsing the configuration both start from it.
/// </summary>
internal sealed class MountAttributes
{
    /// <summary>
    /// A node's pods repeat their attributes on every poll (the kubelet keeps handing out a token until most of
    /// its life is gone), so they are read once. The cache holds those tokens as the token cache holds the
    /// OpenBao tokens got with them.
    /// </summary>
    private static readonly RecentlyParsed<MountAttributes> Recent = new(capacity: 256, maxTextLength: 32 * 1024);

    private readonly Dictionary<string, string> _values;

    private MountAttributes(Dictionary<string, string> values, IReadOnlyList<string> problems)
    {
        _values = values;
        Problems = problems;
    }

    /// <summary>Why some or all attributes could not be read; empty when the JSON was an object of strings.</summary>
    public IReadOnlyList<string> Problems { get; }

    public IEnumerable<string> Keys => _values.Keys;

    /// <summary>The configuration last parsed from these attributes, which a repeated request asks for again.</summary>
    internal ParsedMount? Parsed { get; set; }

    /// <summary>Who sent these attributes, once identified.</summary>
    internal MountCaller? Caller { get; set; }

    /// <summary>The trimmed value of <paramref name="key"/>, or null when it is absent or blank.</summary>
    public string? Plain(string key) => Raw(key)?.Trim();

    /// <summary>The value of <paramref name="key"/> as sent, or null when it is absent or blank: YAML's indentation is its structure.</summary>
    public string? Raw(string key) =>
        _values.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    public static MountAttributes Read(string json) =>
        string.IsNullOrWhiteSpace(json) ? ReadUncached(json) : Recent.GetOrParse(json, ReadUncached);

    private static MountAttributes ReadUncached(string json)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(json))
        {
            problems.Add("attributes are empty: the driver sent no SecretProviderClass parameters");
            return new MountAttributes(values, problems);
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problems.Add("attributes must be a JSON object of strings");
                return new MountAttributes(values, problems);
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    values[property.Name] = property.Value.GetString()!;
                }
                else
                {
                    problems.Add($"parameter '{property.Name}' must be a string, not {property.Value.ValueKind.ToString().ToLowerInvariant()}");
                }
            }
        }
        catch (JsonException ex)
        {
            problems.Add($"attributes are not valid JSON (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1})");
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json reports an escaped unpaired surrogate only when the string is read.
            problems.Add("attributes hold a name or value that is not valid Unicode (an unpaired \\u surrogate escape)");
        }

        return new MountAttributes(values, problems);
    }

    /// <summary>A SecretProviderClass's parameters as they would arrive, without a pod: what <c>validate</c> checks.</summary>
    public static MountAttributes Of(IReadOnlyDictionary<string, string> parameters) =>
        new(new Dictionary<string, string>(parameters, StringComparer.Ordinal), []);

    internal sealed record ParsedMount(string Permission, MountConfiguration Configuration);
}
