using OpenBao.Emulator.Internal.Tokens;

namespace OpenBao.Emulator.Internal.Auth;

/// <summary>An auth method's role as seeded, with its token settings parsed once when it was added.</summary>
internal sealed record LoginRole<TRole>(TRole Role, RoleTokenSettings Token)
    where TRole : class;
