using OpenBao.Emulator.Internal.Policies;

namespace OpenBao.Emulator.Internal.Namespaces;

/// <summary>One OpenBao namespace with its own mounts, policies and entities.</summary>
internal sealed class NamespaceEntry(string path, string id)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _entityIds = new(StringComparer.Ordinal);

    /// <summary>Canonical path: empty for root, otherwise ending in a slash (<c>team-a/</c>).</summary>
    public string Path { get; } = path;

    /// <summary><c>root</c>, or six base62 characters appended to IDs issued in this namespace.</summary>
    public string Id { get; } = id;

    public bool IsRoot => Path.Length == 0;

    /// <summary>How the request log and <c>namespace_path</c> name it: null for root.</summary>
    public string? Name => IsRoot ? null : Path.TrimEnd('/');

    public MountTable Mounts { get; } = new();

    public PolicyStore Policies { get; } = new();

    /// <summary>Sealed on its own (<c>sys/namespaces/:path/seal</c>): its keys are gone until it is unsealed.</summary>
    public bool Sealed { get; set; }

    /// <summary>Locked by an administrator (<c>sys/namespaces/api-lock/lock</c>).</summary>
    public bool Locked { get; set; }

    public bool IsWithin(NamespaceEntry ancestor) => Path.StartsWith(ancestor.Path, StringComparison.Ordinal);

    /// <summary>Tokens, accessors and lease IDs issued outside root carry the namespace ID as a suffix.</summary>
    public string Qualify(string identifier) => IsRoot ? identifier : $"{identifier}.{Id}";

    /// <summary>The same alias on the same mount always maps to the same entity, as in OpenBao's identity store.</summary>
    public string EntityIdFor(string mount, string alias)
    {
        lock (_gate)
        {
            var key = mount + "\n" + alias;
            if (!_entityIds.TryGetValue(key, out var entityId))
            {
                entityId = Guid.NewGuid().ToString();
                _entityIds[key] = entityId;
            }

            return entityId;
        }
    }
}
