using System.Diagnostics.CodeAnalysis;
using OpenBao.Emulator.Internal.Http;

namespace OpenBao.Emulator.Internal.Namespaces;

/// <summary>A namespace's mounts by path prefix (<c>secret/</c>, <c>auth/kubernetes/</c>).</summary>
internal sealed class MountTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IBackend> _mounts = new(StringComparer.Ordinal);

    public void Add(string prefix, IBackend backend)
    {
        lock (_gate)
        {
            if (!_mounts.TryAdd(prefix, backend))
            {
                throw new InvalidOperationException($"path is already in use at {prefix}");
            }
        }
    }

    /// <summary>The backend mounted at exactly <paramref name="prefix"/>, which must be a <typeparamref name="T"/>.</summary>
    public T Get<T>(string prefix)
        where T : class, IBackend
    {
        lock (_gate)
        {
            if (_mounts.TryGetValue(prefix, out var backend) && backend is T typed)
            {
                return typed;
            }
        }

        throw new InvalidOperationException($"No {typeof(T).Name} is mounted at {prefix}; enable it first.");
    }

    /// <summary>Longest-prefix match, as OpenBao's router does.</summary>
    public bool TryRoute(string path, [MaybeNullWhen(false)] out IBackend backend, out string remainder)
    {
        lock (_gate)
        {
            var prefix = _mounts.Keys
                .Where(key => path.StartsWith(key, StringComparison.Ordinal))
                .MaxBy(key => key.Length);
            backend = prefix is null ? null : _mounts[prefix];
            remainder = prefix is null ? path : path[prefix.Length..];
            return backend is not null;
        }
    }
}
