using OpenBao.Emulator.Internal.Http;

namespace OpenBao.Emulator.Internal.Policies;

/// <summary>
/// The merged rules of a token's policies, matched the way OpenBao's ACL does: an exact path wins,
/// then the highest-priority glob (later wildcard, non-prefix, fewer <c>+</c>, longer), and a
/// <c>deny</c> merged into a path overrides everything granted on it.
/// </summary>
internal sealed class Acl
{
    private readonly Dictionary<string, Capability> _exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Capability> _prefix = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Capability> _segmentWildcard = new(StringComparer.Ordinal);

    private Acl()
    {
    }

    /// <param name="namespacePath">Policies are relative to the namespace that holds them.</param>
    public static Acl Build(string namespacePath, IEnumerable<PolicyRule> rules)
    {
        var acl = new Acl();
        foreach (var rule in rules)
        {
            var path = namespacePath + rule.Path.TrimStart('/');
            var capabilities = ParseCapabilities(rule);
            if (path.Contains('+', StringComparison.Ordinal))
            {
                Merge(acl._segmentWildcard, path, capabilities);
            }
            else if (path.EndsWith('*'))
            {
                Merge(acl._prefix, path[..^1], capabilities);
            }
            else
            {
                Merge(acl._exact, path, capabilities);
            }
        }

        return acl;
    }

    public static Capability ParseCapabilities(PolicyRule rule)
    {
        var result = Capability.None;
        foreach (var name in rule.Capabilities)
        {
            result |= name switch
            {
                "deny" => Capability.Deny,
                "create" => Capability.Create,
                "read" => Capability.Read,
                "update" => Capability.Update,
                "delete" => Capability.Delete,
                "list" => Capability.List,
                "sudo" => Capability.Sudo,
                "patch" => Capability.Patch,
                _ => throw new ArgumentException($"Unknown capability \"{name}\" on path \"{rule.Path}\".", nameof(rule)),
            };
        }

        return result;
    }

    /// <param name="path">Full path, namespace included.</param>
    public bool Allows(string path, Operation operation)
    {
        // A list request's path ends in a slash; OpenBao also tries the folder's rules without it, exact
        // rules first, and globs without it only when none match with it (so "a/+" grants listing "a/x/").
        var folder = operation == Operation.List && path.EndsWith('/') ? path[..^1] : null;
        if (!_exact.TryGetValue(path, out var granted)
            && !(folder is not null && _exact.TryGetValue(folder, out granted)))
        {
            granted = FromNonExactPaths(path)
                ?? (folder is not null ? FromNonExactPaths(folder) : null)
                ?? Capability.None;
        }

        if (granted.HasFlag(Capability.Deny))
        {
            return false;
        }

        var needed = operation switch
        {
            Operation.Read => Capability.Read,
            Operation.Update => Capability.Update,
            Operation.Delete => Capability.Delete,
            Operation.List => Capability.List,
            Operation.Patch => Capability.Patch,
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };
        return granted.HasFlag(needed);
    }

    private static void Merge(Dictionary<string, Capability> rules, string path, Capability capabilities)
    {
        rules.TryGetValue(path, out var existing);
        rules[path] = existing.HasFlag(Capability.Deny) || capabilities.HasFlag(Capability.Deny)
            ? Capability.Deny
            : existing | capabilities;
    }

    /// <returns>Null when no glob matches at all.</returns>
    private Capability? FromNonExactPaths(string path)
    {
        var candidates = new List<Candidate>();
        var prefix = _prefix.Keys
            .Where(key => path.StartsWith(key, StringComparison.Ordinal))
            .MaxBy(key => key.Length);
        if (prefix is not null)
        {
            candidates.Add(new Candidate(prefix.Length, prefix, IsPrefix: true, Wildcards: 0, _prefix[prefix]));
        }

        var pathParts = path.Split('/');
        foreach (var (pattern, capabilities) in _segmentWildcard)
        {
            if (MatchSegments(pattern, pathParts) is { } candidate)
            {
                candidates.Add(candidate with { Capabilities = capabilities });
            }
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        candidates.Sort(Candidate.ByPriority);
        return candidates[^1].Capabilities;
    }

    private static Candidate? MatchSegments(string pattern, string[] pathParts)
    {
        var isPrefix = pattern.EndsWith('*');
        var wcPath = isPrefix ? pattern[..^1] : pattern;
        var parts = wcPath.Split('/');
        if (pathParts.Length < parts.Length || (!isPrefix && parts.Length != pathParts.Length))
        {
            return null;
        }

        var wildcards = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i] == "+")
            {
                wildcards++;
            }
            else if (parts[i] != pathParts[i]
                && !(isPrefix && i == parts.Length - 1 && pathParts[i].StartsWith(parts[i], StringComparison.Ordinal)))
            {
                return null;
            }
        }

        return new Candidate(pattern.IndexOf('+', StringComparison.Ordinal), wcPath, isPrefix, wildcards, Capability.None);
    }

    private sealed record Candidate(int FirstWildcard, string WcPath, bool IsPrefix, int Wildcards, Capability Capabilities)
    {
        /// <summary>Ascending priority, so the winner sorts last (OpenBao's ordering, step by step).</summary>
        public static int ByPriority(Candidate left, Candidate right)
        {
            if (left.FirstWildcard != right.FirstWildcard)
            {
                return left.FirstWildcard.CompareTo(right.FirstWildcard);
            }

            if (left.IsPrefix != right.IsPrefix)
            {
                return left.IsPrefix ? -1 : 1;
            }

            if (left.Wildcards != right.Wildcards)
            {
                return right.Wildcards.CompareTo(left.Wildcards);
            }

            return left.WcPath.Length != right.WcPath.Length
                ? left.WcPath.Length.CompareTo(right.WcPath.Length)
                : string.CompareOrdinal(left.WcPath, right.WcPath);
        }
    }
}
