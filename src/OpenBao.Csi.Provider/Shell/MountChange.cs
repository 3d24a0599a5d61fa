using System.Globalization;

namespace OpenBao.Csi.Provider.Shell;

/// <summary>What one rotation poll changed for an object, as the driver would see it.</summary>
internal sealed record MountChange(MountChangeKind Kind, string Id, MountedObject? Before, MountedObject? After)
{
    /// <summary>
    /// What changed between two mounts of the same pod: a version that differs is a rotation (new contents
    /// for the file), an id only in the new mount appeared, one only in the old mount disappeared.
    /// </summary>
    public static IReadOnlyList<MountChange> Between(IReadOnlyList<MountedObject> before, IReadOnlyList<MountedObject> after)
    {
        var old = before.GroupBy(o => o.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var current = after.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        var changes = new List<MountChange>();
        foreach (var gone in before.Where(o => !current.Contains(o.Id)))
        {
            changes.Add(new(MountChangeKind.Disappeared, gone.Id, gone, null));
        }

        foreach (var now in after)
        {
            if (!old.TryGetValue(now.Id, out var was))
            {
                changes.Add(new(MountChangeKind.Appeared, now.Id, null, now));
            }
            else if (was.Version != now.Version)
            {
                changes.Add(new(MountChangeKind.Rotated, now.Id, was, now));
            }
        }

        return changes;
    }

    public override string ToString() => Kind switch
    {
        MountChangeKind.Rotated => $"{Id} rotated: version {Before!.Version ?? "-"} -> {After!.Version ?? "-"}",
        MountChangeKind.Appeared => $"{Id} appeared: mode {After!.ModeText}, {After.Size?.ToString(CultureInfo.InvariantCulture) ?? "-"} bytes, version {After.Version ?? "-"}",
        _ => $"{Id} disappeared",
    };
}
