namespace OpenBao.Csi.Provider.Auth;

/// <summary>
/// Who a cached OpenBao token belongs to. Every field that could change what a login grants is
/// part of the key, so two pods, roles, mounts, namespaces or servers never share a token.
/// </summary>
internal sealed record TokenCacheKey(
    string Address,
    string? Namespace,
    string AuthMount,
    string Role,
    string Audience,
    string PodNamespace,
    string ServiceAccount,
    string? PodUid,
    string? PodName);
