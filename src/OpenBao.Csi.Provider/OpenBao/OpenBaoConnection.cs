namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>Where and how to reach one OpenBao server: flag defaults with SecretProviderClass overrides applied.</summary>
internal sealed record OpenBaoConnection(Uri Address, string? Namespace, OpenBaoTlsSettings Tls);

/// <summary>TLS to OpenBao. Equal settings share one pooled HTTP handler.</summary>
internal sealed record OpenBaoTlsSettings(
    string? CaCertPath = null,
    string? CaDirectory = null,
    string? ServerName = null,
    string? ClientCertPath = null,
    string? ClientKeyPath = null,
    bool SkipVerify = false);
