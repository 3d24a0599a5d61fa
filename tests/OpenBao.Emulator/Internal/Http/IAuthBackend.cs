namespace OpenBao.Emulator.Internal.Http;

/// <summary>An auth method: its <c>login</c> path needs no token, and its roles decide token renewals.</summary>
internal interface IAuthBackend : IBackend
{
    /// <summary>The role's current token TTL (zero = mount default); null when the role is gone.</summary>
    TimeSpan? RoleTokenTtl(string roleName);
}
