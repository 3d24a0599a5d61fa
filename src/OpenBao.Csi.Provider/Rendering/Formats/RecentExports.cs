namespace OpenBao.Csi.Provider.Rendering;

/// <summary>
/// The files a format exported lately, by a digest of what each was made from, for formats that encrypt with
/// fresh randomness on every export. The driver writes the whole volume anew whenever any file's bytes differ,
/// so without this every rotation poll would replace an unchanged keystore and make the applications that
/// watch the volume reload. Bounded in bytes, least recently used first out.
/// </summary>
/// <param name="maxBytes">What all remembered exports may hold together.</param>
/// <param name="maxEntryBytes">Larger exports are not remembered, so a few of them cannot crowd out the rest.</param>
internal sealed class RecentExports(long maxBytes, int maxEntryBytes)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Digest, byte[] Contents)>> _byDigest = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Digest, byte[] Contents)> _recency = [];
    private long _bytes;

    /// <summary>What was exported last from the same input, else <paramref name="export"/>'s result, remembered in place of the least recent.</summary>
    public byte[] GetOrExport(string digest, Func<byte[]> export)
    {
        lock (_gate)
        {
            if (Find(digest) is { } known)
            {
                return known;
            }
        }

        var contents = export();
        if (contents.Length > maxEntryBytes)
        {
            return contents;
        }

        lock (_gate)
        {
            // Two mounts of the same input may export at once: both answer with the bytes remembered first.
            if (Find(digest) is { } first)
            {
                return first;
            }

            _byDigest[digest] = _recency.AddFirst((digest, contents));
            _bytes += contents.Length;
            while (_bytes > maxBytes && _recency.Last is { } oldest)
            {
                _byDigest.Remove(oldest.Value.Digest);
                _bytes -= oldest.Value.Contents.Length;
                _recency.RemoveLast();
            }
        }

        return contents;
    }

    /// <summary>The remembered export, now the most recently used; null when there is none.</summary>
    private byte[]? Find(string digest)
    {
        if (!_byDigest.TryGetValue(digest, out var node))
        {
            return null;
        }

        _recency.Remove(node);
        _recency.AddFirst(node);
        return node.Value.Contents;
    }
}
