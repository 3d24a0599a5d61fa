namespace Kubernetes.Emulator;

/// <summary>Method and path only: headers and bodies may carry tokens, which the log must never hold.</summary>
internal sealed record RequestLogEntry(string Method, string Path)
{
    /// <summary>
    /// The RBAC verb of a request for a core/v1 <paramref name="resource"/> (no subresource), with its
    /// namespace (empty across all), or null for any other request. The log keeps no query, so a watch
    /// counts as a list.
    /// </summary>
    public (string Verb, string Namespace)? CoreVerb(string resource)
    {
        var (@namespace, rest) = Path.Split('/', StringSplitOptions.RemoveEmptyEntries) switch
        {
            ["api", "v1", "namespaces", var ns, .. var tail] => (ns, tail),
            ["api", "v1", .. var tail] => (string.Empty, tail),
            _ => (string.Empty, []),
        };
        if (rest.Length is 0 or > 2 || rest[0] != resource)
        {
            return null;
        }

        var item = rest.Length == 2;
        string? verb = Method.ToUpperInvariant() switch
        {
            "GET" => item ? "get" : "list",
            "POST" when !item => "create",
            "PUT" when item => "update",
            "PATCH" when item => "patch",
            "DELETE" => item ? "delete" : "deletecollection",
            _ => null,
        };
        return verb is null ? null : (verb, @namespace);
    }
}
