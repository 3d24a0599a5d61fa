namespace OpenBao.Emulator.Internal.Engines;

internal sealed record PkiRoleSettings(IReadOnlyList<string> AllowedDomains, bool AllowSubdomains, bool GenerateLease);
