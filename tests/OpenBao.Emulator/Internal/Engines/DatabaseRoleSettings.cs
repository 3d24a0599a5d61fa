namespace OpenBao.Emulator.Internal.Engines;

internal sealed record DatabaseRoleSettings(TimeSpan DefaultTtl, TimeSpan MaxTtl);
