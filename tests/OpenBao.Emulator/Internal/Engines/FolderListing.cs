using OpenBao.Emulator.Internal.Http;

namespace OpenBao.Emulator.Internal.Engines;

/// <summary>How OpenBao's storage lists a folder: direct children only, sub-folders once each with a trailing slash, sorted bytewise.</summary>
internal static class FolderListing
{
    /// <param name="folder">Empty for the mount's root, otherwise ending in a slash.</param>
    public static List<string> Children(IEnumerable<string> keys, string folder)
    {
        var children = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (key.Length <= folder.Length || !key.StartsWith(folder, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = key[folder.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            children.Add(slash < 0 ? rest : rest[..(slash + 1)]);
        }

        return [.. children];
    }

    /// <summary>OpenBao answers a list with no keys 404 <c>{"errors":[]}</c>, like a read that finds nothing.</summary>
    public static ApiResult ToResult(IReadOnlyList<string> keys) =>
        keys.Count == 0 ? ApiResult.NotFound() : new EnvelopeResult { Data = new Dictionary<string, object?> { ["keys"] = keys } };
}
