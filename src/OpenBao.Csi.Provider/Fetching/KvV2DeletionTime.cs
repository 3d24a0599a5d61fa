using System.Globalization;
using System.Text.Json;

namespace OpenBao.Csi.Provider.Fetching;

/// <summary>
/// A KV v2 version's <c>deletion_time</c>: empty unless the version is deleted or scheduled for deletion. With
/// <c>delete_version_after</c> set, every version is written with one ahead, and OpenBao serves it until then.
/// </summary>
internal static class KvV2DeletionTime
{
    /// <param name="version">A version's metadata: an entry of <c>versions</c>, or a read's <c>data.metadata</c>.</param>
    /// <returns>Null when none is set; <see cref="DateTimeOffset.MinValue"/>, long passed, when it cannot be read as a time.</returns>
    public static DateTimeOffset? Of(JsonElement version) =>
        version.ValueKind == JsonValueKind.Object && version.TryGetProperty("deletion_time", out var deletion)
            && deletion.ValueKind == JsonValueKind.String && deletion.GetString() is { Length: > 0 } text
            ? DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.MinValue
            : null;
}
