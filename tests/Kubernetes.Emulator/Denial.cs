namespace Kubernetes.Emulator;

/// <param name="Resource">Resource with optional subresource, as RBAC names it: <c>serviceaccounts/token</c>.</param>
/// <param name="Namespace">Null denies in every namespace.</param>
internal sealed record Denial(string Verb, string Resource, string? Namespace)
{
    public bool Matches(string verb, string resource, string @namespace) =>
        string.Equals(Verb, verb, StringComparison.Ordinal)
        && string.Equals(Resource, resource, StringComparison.Ordinal)
        && (Namespace is null || string.Equals(Namespace, @namespace, StringComparison.Ordinal));
}
