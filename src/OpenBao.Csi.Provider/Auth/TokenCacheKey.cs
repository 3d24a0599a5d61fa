namespace OpenBao.Csi.Provider.Auth;

/// <summary>
/// Who a cached OpenBao token belongs to. Every field that could change what a login grants is
/// part of the key, so two pods, roles, mounts, namespaces or servers never share a token.
/// </summary>
/// <param name="Credential">
/// Without a pod UID (the driver always sends one; <c>mount</c> from a shell may not), a digest of the JWT
/// the mount came with: a caller naming a pod must not be answered from a token another JWT logged in for.
/// </param>
internal sealed record TokenCacheKey(
    string Address,
    string? Namespace,
    string AuthMount,
    string Role,
    string Audience,
    string PodNamespace,
    string ServiceAccount,
    string? PodUid,
    string? PodName,
    string? Credential = null);
