namespace OpenBao.Csi.Provider.Mounting;

/// <summary>Connection settings a SecretProviderClass may set; null means "use the flag".</summary>
internal sealed record OpenBaoOverrides(
    string? Address = null,
    string? Namespace = null,
    string? AuthMount = null,
    string? CaCertPath = null,
    string? CaDirectory = null,
    string? TlsServerName = null,
    string? ClientCertPath = null,
    string? ClientKeyPath = null,
    bool? SkipVerify = null,
    string? FailoverAddress = null);
