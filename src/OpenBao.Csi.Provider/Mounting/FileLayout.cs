namespace OpenBao.Csi.Provider.Mounting;

/// <summary>
/// The files a mount writes, as the driver will write them: it keys files by path, so of two at one path the
/// last replaces the first, and its writer fails on a file where another needs a folder. Checked once the
/// objects are parsed, and again once folders and version histories have become files.
/// </summary>
internal static class FileLayout
{
    public static IEnumerable<(string Path, int Count)> Duplicates(IEnumerable<string> paths) =>
        paths.GroupBy(path => path, StringComparer.Ordinal).Where(group => group.Count() > 1).Select(group => (group.Key, group.Count()));

    /// <summary>Paths below one of <paramref name="files"/>, each with the first such file above it.</summary>
    public static IEnumerable<(string Path, string File)> BelowFiles(IEnumerable<string> paths, IReadOnlySet<string> files) =>
        paths
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(path => (Path: path, File: FileAbove(path, files)))
            .Where(found => found.File is not null)
            .Select(found => (found.Path, found.File!));

    /// <summary>
    /// The expanded objects' files. A folder's child may turn out to be an object listed explicitly too, which only
    /// the listing can tell; checked before the reads, so a mount that must fail issues no credential.
    /// </summary>
    /// <exception cref="InvalidMountRequestException">Two objects write one file, or one writes a file where another needs a folder.</exception>
    public static void CheckExpanded(IReadOnlyList<SecretObject> objects)
    {
        var paths = new List<string>(objects.Count);
        foreach (var secret in objects)
        {
            if (secret.Render)
            {
                paths.Add(secret.ObjectName);
            }
        }

        var files = new HashSet<string>(paths, StringComparer.Ordinal);
        // Every mount is checked and almost none clashes: finding no clash costs far less than describing them.
        if (files.Count == paths.Count && !paths.Exists(path => FileAbove(path, files) is not null))
        {
            return;
        }

        throw new InvalidMountRequestException([.. Duplicates(paths)
            .Select(duplicate => $"'{duplicate.Path}' is written by {duplicate.Count} objects once folders and version histories are expanded: each file needs its own name")
            .Concat(BelowFiles(paths, files)
                .Select(nested => $"'{nested.Path}' needs a folder '{nested.File}' where another object puts a file once folders are expanded"))]);
    }

    /// <summary>The first of <paramref name="files"/> that <paramref name="path"/> would need as a folder, if any.</summary>
    private static string? FileAbove(string path, IReadOnlySet<string> files) =>
        path.Contains('/', StringComparison.Ordinal) ? Ancestors(path).FirstOrDefault(files.Contains) : null;

    /// <summary><c>a</c> and <c>a/b</c> for <c>a/b/c</c>.</summary>
    private static IEnumerable<string> Ancestors(string name)
    {
        for (var slash = name.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = name.IndexOf('/', slash + 1))
        {
            yield return name[..slash];
        }
    }
}
