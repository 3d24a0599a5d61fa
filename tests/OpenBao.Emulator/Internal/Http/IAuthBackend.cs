using OpenBao.Emulator.Internal.Tokens;

namespace OpenBao.Emulator.Internal.Http;

/// <summary>An auth method: its <c>login</c> path needs no token, and its roles decide token renewals.</summary>
internal interface IAuthBackend : IBackend
{
    /// <summary>The role's current token settings, which OpenBao's renew handlers re-read; null when the role is gone.</summary>
    RoleTokenSettings? TokenSettingsOf(string roleName);
}
