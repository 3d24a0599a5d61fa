using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>Where and how to reach one OpenBao server: flag defaults with SecretProviderClass overrides applied.</summary>
internal sealed record OpenBaoConnection(Uri Address, string? Namespace, OpenBaoTlsSettings Tls)
{
    /// <summary>The socket file for a <c>unix://</c> address (OpenBao Agent on a local socket), else null.</summary>
    public string? UnixSocketPath => Address.Scheme == OpenBaoAddress.UnixScheme ? Uri.UnescapeDataString(Address.AbsolutePath) : null;
}

/// <summary>TLS to OpenBao. Equal settings share one pooled HTTP handler.</summary>
internal sealed record OpenBaoTlsSettings(
    string? CaCertPath = null,
    string? CaDirectory = null,
    string? ServerName = null,
    string? ClientCertPath = null,
    string? ClientKeyPath = null,
    bool SkipVerify = false);
