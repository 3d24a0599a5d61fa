using OpenBao.Csi.Provider.V1Alpha1;

namespace OpenBao.Csi.Provider.Shell;

/// <summary>One object of a mount as the table shows it: what the driver would write and record, never the contents.</summary>
/// <param name="Mode">Null for a version without a file.</param>
/// <param name="Size">Bytes; null for a version without a file.</param>
/// <param name="Version">Null for a file without a version.</param>
internal sealed record MountedObject(string Id, int? Mode, int? Size, string? Version)
{
    /// <summary>Files in the response's order, each with the version of the same id, then versions without a file.</summary>
    public static IReadOnlyList<MountedObject> From(MountResponse response)
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var version in response.ObjectVersion)
        {
            versions.TryAdd(version.Id, version.Version);
        }

        var objects = response.Files.Select(f => new MountedObject(f.Path, f.Mode, f.Contents.Length, versions.GetValueOrDefault(f.Path))).ToList();
        var withFiles = objects.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        objects.AddRange(versions.Where(v => !withFiles.Contains(v.Key)).Select(v => new MountedObject(v.Key, null, null, v.Value)));
        return objects;
    }

    /// <summary>Octal, as <c>ls</c> and <c>filePermission</c> write it.</summary>
    public string ModeText => Mode is { } mode ? Convert.ToString(mode, 8).PadLeft(4, '0') : "-";
}
