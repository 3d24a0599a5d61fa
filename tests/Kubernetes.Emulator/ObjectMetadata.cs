using System.Globalization;
using System.Text.Json.Nodes;

namespace Kubernetes.Emulator;

/// <summary>What the API server does to an object's metadata on write, shared by every kind the fake stores.</summary>
internal static class ObjectMetadata
{
    // names.SimpleNameGenerator: the prefix is cut so that prefix plus suffix fits a 63-character label.
    private const int MaxGeneratedNameLength = 63 - GeneratedSuffixLength;
    private const int GeneratedSuffixLength = 5;
    private const string GeneratedSuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>
    /// Set by the server whatever the request says, or (deletion) never settable by a write; the request's
    /// <c>generateName</c> is kept, but written by <see cref="Build"/> in its Go field position.
    /// </summary>
    private static readonly HashSet<string> ServerOwned = new(
        ["name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields"],
        StringComparer.Ordinal);

    /// <summary>The name a create with only <c>metadata.generateName</c> gets.</summary>
    public static string GenerateName(string prefix) =>
        (prefix.Length > MaxGeneratedNameLength ? prefix[..MaxGeneratedNameLength] : prefix)
        + new string(Random.Shared.GetItems(GeneratedSuffixAlphabet.AsSpan(), GeneratedSuffixLength));

    /// <summary>
    /// The name an admission refusal of a create gives the object (admission.extractResourceName): its name,
    /// else its <c>generateName</c>, as admission runs before a name is generated, else <c>Unknown</c>.
    /// </summary>
    public static string AdmissionName(JsonObject? requested) =>
        JsonRead.String(requested?["name"]) is { Length: > 0 } name ? name
        : JsonRead.String(requested?["generateName"]) is { Length: > 0 } generateName ? generateName
        : "Unknown";

    /// <summary>
    /// The stored metadata: the server's fields first, in ObjectMeta's order, then what the client may set
    /// (labels, annotations, ...) copied from <paramref name="requested"/>.
    /// </summary>
    /// <param name="creationTimestamp">Already in wire form, so an update can carry the stored one over unchanged.</param>
    public static JsonObject Build(
        string @namespace,
        string name,
        string uid,
        long resourceVersion,
        string creationTimestamp,
        JsonObject? requested)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (JsonRead.String(requested?["generateName"]) is { Length: > 0 } generateName)
        {
            metadata["generateName"] = generateName;
        }

        metadata["namespace"] = @namespace;
        metadata["uid"] = uid;
        metadata["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture);
        metadata["creationTimestamp"] = creationTimestamp;
        foreach (var (key, value) in requested ?? [])
        {
            if (!ServerOwned.Contains(key) && value is not null)
            {
                metadata[key] = value.DeepClone();
            }
        }

        return metadata;
    }
}
