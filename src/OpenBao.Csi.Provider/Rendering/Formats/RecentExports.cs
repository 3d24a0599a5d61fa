namespace OpenBao.Csi.Provider.Rendering;

/// <summary>
/// The files a format exported lately, by a digest of what each was made from, for formats that encrypt with
/// fresh randomness on every export. The driver rewrites a file whenever its bytes differ, so without this
/// every rotation poll would replace an unchanged keystore and make the applications that watch it reload.
/// </summary>
internal sealed class RecentExports(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Digest, byte[] Contents)>> _byDigest = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Digest, byte[] Contents)> _recency = [];

    /// <summary>What was exported last from the same input, else <paramref name="export"/>'s result, remembered in place of the least recent.</summary>
    public byte[] GetOrExport(string digest, Func<byte[]> export)
    {
        lock (_gate)
        {
            if (TryTouch(digest) is { } known)
            {
                return known;
            }
        }

        var contents = export();
        lock (_gate)
        {
            // Two mounts of the same input may export at once: both answer with the bytes remembered first.
            if (TryTouch(digest) is { } first)
            {
                return first;
            }

            _byDigest[digest] = _recency.AddFirst((digest, contents));
            if (_recency.Count > capacity)
            {
                _byDigest.Remove(_recency.Last!.Value.Digest);
                _recency.RemoveLast();
            }
        }

        return contents;
    }

    private byte[]? TryTouch(string digest)
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
