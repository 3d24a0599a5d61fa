namespace OpenBao.Csi.Provider.Mounting;

/// <summary>Everything one Mount call asks for, parsed and validated.</summary>
internal sealed record MountConfiguration(
    string RoleName,
    string? Audience,
    OpenBaoOverrides OpenBao,
    PodIdentity Pod,
    IReadOnlyDictionary<string, DriverToken> DriverTokens,
    IReadOnlyList<SecretObject> Objects,
    int DefaultFileMode,
    string? SecretProviderClass,
    IReadOnlyList<string> Warnings);
