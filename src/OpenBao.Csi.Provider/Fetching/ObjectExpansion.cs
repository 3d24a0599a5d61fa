using System.Globalization;
using System.Text.Json;
using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Fetching;

/// <summary>
/// Turns an object that stands for several secrets into one object per file: a folder (<c>/*</c>) into
/// its direct children, a <c>versionHistory</c> into its latest live versions. One read says which:
/// a LIST of the folder, or the KV v2 metadata of the secret.
/// </summary>
internal static class ObjectExpansion
{
    /// <summary>The read that lists what <paramref name="secret"/> stands for.</summary>
    public static SecretRequestKey Listing(SecretObject secret) => secret.Folder
        ? new SecretRequestKey("LIST", ListPath(secret.SecretPath), null, null)
        : new SecretRequestKey("GET", KvV2Path.Of(secret.SecretPath)!.Metadata, null, null);

    /// <summary>One object per file, named <c>&lt;objectName&gt;/&lt;child&gt;</c> or <c>&lt;objectName&gt;/&lt;n&gt;</c> (0 = current).</summary>
    /// <param name="now">Versions whose deletion time has passed by then are gone.</param>
    public static IReadOnlyList<SecretObject> Children(SecretObject secret, JsonElement listing, DateTimeOffset now)
    {
        var data = listing.ValueKind == JsonValueKind.Object && listing.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        return secret.Folder ? FolderChildren(secret, data) : Versions(secret, data, now);
    }

    // KV v2 lists <mount>/metadata/<folder>/; KV v1 lists the folder itself.
    private static string ListPath(string folder)
    {
        var parts = folder.Split('/', 3);
        return parts.Length >= 2 && parts[1] == "data"
            ? $"{parts[0]}/metadata/{(parts.Length == 3 ? parts[2] + "/" : string.Empty)}"
            : folder + "/";
    }

    private static List<SecretObject> FolderChildren(SecretObject folder, JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        // Sub-folders end in '/' and are not descended into; a name the driver could not write is skipped.
        return [.. keys.EnumerateArray()
            .Where(k => k.ValueKind == JsonValueKind.String)
            .Select(k => k.GetString()!)
            .Where(name => !name.EndsWith('/') && !name.Contains('/', StringComparison.Ordinal) && ObjectsParser.ObjectNameProblem($"{folder.ObjectName}/{name}") is null)
            .Order(StringComparer.Ordinal)
            .Select(name => folder with
            {
                ObjectName = $"{folder.ObjectName}/{name}",
                SecretPath = $"{folder.SecretPath}/{name}",
                Folder = false,
                Format = folder.Format ?? (folder.SecretKey is null && folder.Template is null ? "json" : null),
            })];
    }

    private static List<SecretObject> Versions(SecretObject secret, JsonElement data, DateTimeOffset now)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("versions", out var versions) || versions.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var live = versions.EnumerateObject()
            .Where(v => v.Value.ValueKind == JsonValueKind.Object && !IsGone(v.Value, now))
            .Select(v => int.TryParse(v.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0)
            .Where(number => number > 0)
            .OrderDescending()
            .Take(secret.VersionHistory!.Value);
        return [.. live.Select((version, age) => secret with
        {
            ObjectName = $"{secret.ObjectName}/{age}",
            Query = $"version={version}",
            VersionHistory = null,
        })];
    }

    private static bool IsGone(JsonElement version, DateTimeOffset now) =>
        (version.TryGetProperty("destroyed", out var destroyed) && destroyed.ValueKind == JsonValueKind.True)
        || KvV2DeletionTime.Remaining(version, now) <= TimeSpan.Zero;
}
