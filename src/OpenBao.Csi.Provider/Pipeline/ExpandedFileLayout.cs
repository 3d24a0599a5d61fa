using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Pipeline;

/// <summary>
/// The file checks of the objects parser, once folders and version histories have become files: only then can
/// a folder's child turn out to be an object written explicitly too, or a file where another object needs a
/// folder. The driver would keep one of two same-named files at random, and fail writing the other conflict.
/// </summary>
internal static class ExpandedFileLayout
{
    /// <exception cref="InvalidMountRequestException">Two objects write the same file, or one writes a file where another needs a folder.</exception>
    public static void Check(IReadOnlyList<SecretObject> objects)
    {
        var paths = objects.Where(o => o.Render).Select(o => o.ObjectName).ToList();
        var problems = paths
            .GroupBy(path => path, StringComparer.Ordinal)
            .Where(group => group.Count() > 1)
            .Select(group => $"'{group.Key}' is written by {group.Count()} objects once folders and version histories are expanded: each file needs its own name")
            .ToList();
        var files = paths.ToHashSet(StringComparer.Ordinal);
        problems.AddRange(paths
            .Where(path => ObjectsParser.Ancestors(path).Any(files.Contains))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(path => $"'{path}' needs a folder '{ObjectsParser.Ancestors(path).First(files.Contains)}' where another object puts a file once folders are expanded"));
        if (problems.Count > 0)
        {
            throw new InvalidMountRequestException(problems);
        }
    }
}
