using System.Diagnostics.CodeAnalysis;

namespace OpenBao.Emulator.Internal.Namespaces;

/// <summary>All namespaces, and the rules OpenBao uses to find the one a request addresses.</summary>
internal sealed class NamespaceRegistry
{
    private const int IdLength = 6;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, NamespaceEntry> _byPath = new(StringComparer.Ordinal);
    private readonly Action<NamespaceEntry> _initialize;

    /// <param name="initialize">Mounts what every namespace has from birth (sys, token store).</param>
    public NamespaceRegistry(Action<NamespaceEntry> initialize)
    {
        _initialize = initialize;
        Root = new NamespaceEntry("", "root");
        _initialize(Root);
        _byPath[""] = Root;
    }

    public NamespaceEntry Root { get; }

    /// <summary>Creates the namespace and any missing parents; adding an existing one is a no-op.</summary>
    public NamespaceEntry Add(string path)
    {
        var canonical = Canonicalize(path);
        if (canonical.Length == 0)
        {
            return Root;
        }

        lock (_gate)
        {
            NamespaceEntry entry = Root;
            var end = 0;
            while ((end = canonical.IndexOf('/', end) + 1) > 0)
            {
                var prefix = canonical[..end];
                if (!_byPath.TryGetValue(prefix, out entry!))
                {
                    entry = new NamespaceEntry(prefix, NewId());
                    _initialize(entry);
                    _byPath[prefix] = entry;
                }
            }

            return entry;
        }
    }

    /// <summary>For the seeding API: the namespace, which must already exist.</summary>
    public NamespaceEntry Get(string? path)
    {
        var canonical = Canonicalize(path);
        lock (_gate)
        {
            return _byPath.TryGetValue(canonical, out var entry)
                ? entry
                : throw new InvalidOperationException($"Namespace \"{path}\" does not exist; call AddNamespace first.");
        }
    }

    /// <summary>The namespace itself and every one above it, outermost first, as OpenBao walks a namespace's path.</summary>
    public IReadOnlyList<NamespaceEntry> PathTo(NamespaceEntry entry)
    {
        lock (_gate)
        {
            return [.. _byPath.Values.Where(entry.IsWithin).OrderBy(ancestor => ancestor.Path.Length)];
        }
    }

    /// <summary>The namespace whose ID an identifier (a lease ID) carries as its suffix; null when it carries none known.</summary>
    public NamespaceEntry? OfQualified(string identifier)
    {
        // namespace.SplitIDFromString: the suffix after the last dot of the last path element.
        var last = identifier[(identifier.LastIndexOf('/') + 1)..];
        var dot = last.LastIndexOf('.');
        if (dot < 0 || dot == last.Length - 1)
        {
            return null;
        }

        var id = last[(dot + 1)..];
        lock (_gate)
        {
            return _byPath.Values.FirstOrDefault(entry => !entry.IsRoot && entry.Id == id);
        }
    }

    /// <summary>
    /// OpenBao stacks the <c>X-Vault-Namespace</c> header in front of the path and takes the longest
    /// namespace prefix, so <c>/v1/team-a/secret/...</c> works too; the whole header must match.
    /// </summary>
    public bool TryResolve(string? header, string requestPath, [NotNullWhen(true)] out NamespaceEntry? resolved, out string relativePath)
    {
        var canonicalHeader = Canonicalize(header);
        var full = canonicalHeader + requestPath;
        lock (_gate)
        {
            resolved = _byPath.Values
                .Where(entry => full.StartsWith(entry.Path, StringComparison.Ordinal))
                .MaxBy(entry => entry.Path.Length)!;
        }

        relativePath = full[resolved.Path.Length..];
        if (!resolved.Path.StartsWith(canonicalHeader, StringComparison.Ordinal))
        {
            resolved = null;
            return false;
        }

        return true;
    }

    private static string Canonicalize(string? path)
    {
        var trimmed = (path ?? "").Trim().Trim('/');
        return trimmed.Length == 0 || trimmed == "root" ? "" : trimmed + "/";
    }

    private string NewId()
    {
        string id;
        do
        {
            id = Base62.Random(IdLength);
        }
        while (_byPath.Values.Any(entry => entry.Id == id));

        return id;
    }
}
