using System.Globalization;
using System.Text.Json;

namespace OpenBao.Csi.Provider.Fetching;

/// <summary>
/// A KV v2 version's <c>deletion_time</c>: empty unless the version is deleted or scheduled for deletion. With
/// <c>delete_version_after</c> set, every version is written with one ahead, and OpenBao serves it until then.
/// </summary>
internal static class KvV2DeletionTime
{
    /// <summary>
    /// OpenBao's clock and the node's may disagree by this much: a soft delete OpenBao has just made can carry
    /// a time ahead of our now, and its reads already answer 404.
    /// </summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(1);

    /// <param name="version">A version's metadata: an entry of <c>versions</c>, or a read's <c>data.metadata</c>.</param>
    /// <returns>
    /// How much longer OpenBao serves the version: null when it is not to be deleted, zero or less once it is
    /// (a time that cannot be read counts as passed).
    /// </returns>
    public static TimeSpan? Remaining(JsonElement version, DateTimeOffset now)
    {
        if (version.ValueKind != JsonValueKind.Object || !version.TryGetProperty("deletion_time", out var deletion)
            || deletion.ValueKind != JsonValueKind.String || deletion.GetString() is not { Length: > 0 } text)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at - now - ClockSkewAllowance
            : TimeSpan.Zero;
    }
}
