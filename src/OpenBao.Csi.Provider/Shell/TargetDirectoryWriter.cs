using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Security.Cryptography;

namespace OpenBao.Csi.Provider.Shell;

/// <summary>
/// Writes a mount's files into a directory as the driver's atomic writer (the kubelet's scheme for projected
/// volumes) does: the files go into a fresh hidden directory <c>..&lt;UTC time&gt;.&lt;random&gt;</c>, <c>..data</c>
/// is a symlink to it, and each top-level name is a symlink through <c>..data</c>. Renaming a new link over
/// <c>..data</c> swaps the whole set at once, so a reader never sees half a rotation; each file is created with
/// its own mode, so a 0600 secret is not readable by others even for a moment.
/// </summary>
/// <remarks>
/// Where the driver deletes a plain file or directory standing at one of the names (left by old providers that
/// wrote files themselves), this refuses: on a developer's disk such a name is far more likely their own file.
/// </remarks>
internal sealed partial class TargetDirectoryWriter(string directory, TimeProvider time)
{
    private const string DataLink = "..data";
    private const string NewDataLink = "..data_tmp";

    // Others must traverse the directories to reach the files their modes let them read (0755, as the driver).
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    // Permission bits only: a provider does not get to make setuid files.
    private const int PermissionBits = 0b111_111_111;

    private static readonly EnumerationOptions EveryEntry = new() { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };

    public string Directory => directory;

    /// <returns>False when the files there were already these, with these modes: nothing is rewritten.</returns>
    /// <exception cref="UnsafeTargetException">A path is unsafe, or a name at the top is not this writer's; nothing was written.</exception>
    /// <exception cref="IOException">Writing failed; the files visible before are unchanged.</exception>
    public bool Write(IReadOnlyList<V1Alpha1.File> files)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("-target writes the driver's Linux layout (symlinks, file modes)");
        }

        foreach (var file in files)
        {
            if (DriverFilePath.Problem(file.Path) is { } problem)
            {
                throw new UnsafeTargetException(problem);
            }
        }

        // As the driver's map of paths: a repeated path is written once, with its last content.
        var payload = new Dictionary<string, V1Alpha1.File>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            payload[file.Path] = file;
        }

        var topNames = payload.Keys.Select(TopName).ToHashSet(StringComparer.Ordinal);
        System.IO.Directory.CreateDirectory(directory);
        foreach (var name in topNames)
        {
            RefuseForeign(name);
        }

        var oldData = CurrentDataDirectory();
        var oldPaths = oldData is null ? [] : Entries(Path.Join(directory, oldData));
        if (oldData is not null && Holds(Path.Join(directory, oldData), oldPaths, payload))
        {
            return false;
        }

        var newData = CreateDataDirectory();
        var createdLinks = new List<string>();
        try
        {
            foreach (var (path, file) in payload)
            {
                WriteFile(Path.Join(directory, newData), path, file);
            }

            foreach (var name in topNames)
            {
                var visible = Path.Join(directory, name);
                if (!Exists(visible))
                {
                    File.CreateSymbolicLink(visible, $"{DataLink}/{name}");
                    createdLinks.Add(visible);
                }
            }

            var newLink = Path.Join(directory, NewDataLink);
            if (Exists(newLink))
            {
                File.Delete(newLink);
            }

            File.CreateSymbolicLink(newLink, newData);
            Rename(newLink, Path.Join(directory, DataLink));
        }
        catch
        {
            createdLinks.ForEach(File.Delete);
            System.IO.Directory.Delete(Path.Join(directory, newData), recursive: true);
            throw;
        }

        // Only once the new set is visible: a name that is gone now disappears, and then its old content.
        foreach (var stale in oldPaths.Where(p => !p.Contains('/', StringComparison.Ordinal) && !topNames.Contains(p)))
        {
            var visible = Path.Join(directory, stale);
            if (new FileInfo(visible).LinkTarget == $"{DataLink}/{stale}")
            {
                File.Delete(visible);
            }
        }

        if (oldData is not null)
        {
            System.IO.Directory.Delete(Path.Join(directory, oldData), recursive: true);
        }

        return true;
    }

    private static string TopName(string path) => path.Split('/')[0];

    private static bool Exists(string path) => new FileInfo(path).LinkTarget is not null || File.Exists(path) || System.IO.Directory.Exists(path);

    private void RefuseForeign(string name)
    {
        var visible = Path.Join(directory, name);
        var target = new FileInfo(visible).LinkTarget;
        if (target is null ? Exists(visible) : target != $"{DataLink}/{name}")
        {
            throw new UnsafeTargetException(
                $"{visible} already exists and was not written by this command ({(target is null ? "not a symlink" : $"a symlink to {target}")}); remove it or choose another -target");
        }
    }

    /// <returns>The name of the hidden directory <c>..data</c> points to; null before the first write.</returns>
    private string? CurrentDataDirectory()
    {
        var link = Path.Join(directory, DataLink);
        var target = new FileInfo(link).LinkTarget;
        if (target is null)
        {
            return Exists(link) ? throw new UnsafeTargetException($"{link} exists and is not a symlink; remove it or choose another -target") : null;
        }

        // Deleted after the swap, so it must be one of ours, inside the target.
        return target.StartsWith("..", StringComparison.Ordinal) && target.Length > 2 && !target.Contains('/', StringComparison.Ordinal)
            ? target
            : throw new UnsafeTargetException($"{link} points to {target}, which this command did not write; remove it or choose another -target");
    }

    private static List<string> Entries(string root) =>
        System.IO.Directory.Exists(root)
            ? [.. System.IO.Directory.EnumerateFileSystemEntries(root, "*", EveryEntry).Select(entry => Path.GetRelativePath(root, entry))]
            : [];

    /// <summary>The directory holds exactly these files, contents and modes, and nothing else.</summary>
    [UnsupportedOSPlatform("windows")]
    private static bool Holds(string root, List<string> entries, Dictionary<string, V1Alpha1.File> payload)
    {
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in payload.Keys)
        {
            for (var part = path; part.Length > 0; part = Path.GetDirectoryName(part) ?? string.Empty)
            {
                expected.Add(part);
            }
        }

        return expected.SetEquals(entries) && payload.All(entry =>
        {
            var path = Path.Join(root, entry.Key);
            return File.Exists(path)
                && (int)File.GetUnixFileMode(path) == (entry.Value.Mode & PermissionBits)
                && File.ReadAllBytes(path).AsSpan().SequenceEqual(entry.Value.Contents.Span);
        });
    }

    [UnsupportedOSPlatform("windows")]
    private string CreateDataDirectory()
    {
        while (true)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"..{time.GetUtcNow():yyyy_MM_dd_HH_mm_ss}.{RandomNumberGenerator.GetInt32(1_000_000_000)}");
            var path = Path.Join(directory, name);
            if (!Exists(path))
            {
                System.IO.Directory.CreateDirectory(path);
                File.SetUnixFileMode(path, DirectoryMode);
                return name;
            }
        }
    }

    [UnsupportedOSPlatform("windows")]
    private static void WriteFile(string root, string relativePath, V1Alpha1.File file)
    {
        var folder = root;
        foreach (var name in relativePath.Split('/').SkipLast(1))
        {
            folder = Path.Join(folder, name);
            if (!System.IO.Directory.Exists(folder))
            {
                System.IO.Directory.CreateDirectory(folder);
                File.SetUnixFileMode(folder, DirectoryMode);
            }
        }

        var path = Path.Join(root, relativePath);
        var mode = (UnixFileMode)(file.Mode & PermissionBits);
        using (var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode }))
        {
            stream.Write(file.Contents.Span);
        }

        // The umask narrowed the mode at creation; the file gets exactly the one asked for.
        File.SetUnixFileMode(path, mode);
    }

    private static void Rename(string from, string to)
    {
        // File.Move refuses a symlink to a directory; rename(2) replaces the old link atomically.
        if (rename(from, to) != 0)
        {
            throw new IOException($"cannot rename {from} to {to}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rename(string from, string to);
}
