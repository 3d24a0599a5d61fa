using OpenBao.Emulator.Internal.Http;

namespace OpenBao.Emulator.Internal.Tokens;

/// <summary>What a successful login hands the token store.</summary>
/// <param name="MountPath">The auth mount, e.g. <c>auth/kubernetes/</c>.</param>
/// <param name="Settings">The role's token settings at login time.</param>
/// <param name="DisplayName">The method's part of the display name, e.g. <c>shop-app</c>.</param>
/// <param name="AliasName">Entity alias name (service-account UID, JWT user claim).</param>
internal sealed record TokenGrant(
    string MountPath,
    IAuthBackend Backend,
    string RoleName,
    IReadOnlyList<string> Policies,
    RoleTokenSettings Settings,
    IReadOnlyDictionary<string, string> Metadata,
    string DisplayName,
    string AliasName);
