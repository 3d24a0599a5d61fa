using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>The connection settings from flags and environment, before a SecretProviderClass overrides them.</summary>
internal sealed record OpenBaoDefaults(Uri Address, string? Namespace, string AuthMount, OpenBaoTlsSettings Tls, Uri? FailoverAddress = null)
{
    /// <summary>Where to mount from while the primary is down: the SecretProviderClass's, else the flag's, else nowhere.</summary>
    public Uri? Failover(OpenBaoOverrides overrides) => overrides.FailoverAddress is { } text ? new Uri(text) : FailoverAddress;

    /// <summary>
    /// Applies a SecretProviderClass's settings field by field: what it sets wins, the rest comes from flags. Skipping
    /// TLS verification is the exception, as in the Go providers: a class can turn it on, but its <c>"false"</c> does not
    /// undo the flag's <c>-openbao-tls-skip-verify</c> (example classes spell the default out).
    /// </summary>
    public (OpenBaoConnection Connection, string AuthMount) Apply(OpenBaoOverrides overrides)
    {
        // Most classes set no TLS at all: they get the flags' settings object itself, which the client factory
        // recognises without comparing every field.
        var tls = overrides is { CaCertPath: null, CaDirectory: null, TlsServerName: null, ClientCertPath: null, ClientKeyPath: null }
            && (overrides.SkipVerify != true || Tls.SkipVerify)
            ? Tls
            : new OpenBaoTlsSettings(
                overrides.CaCertPath ?? Tls.CaCertPath,
                overrides.CaDirectory ?? Tls.CaDirectory,
                overrides.TlsServerName ?? Tls.ServerName,
                overrides.ClientCertPath ?? Tls.ClientCertPath,
                overrides.ClientKeyPath ?? Tls.ClientKeyPath,
                overrides.SkipVerify == true || Tls.SkipVerify);
        var address = overrides.Address is { } text ? new Uri(text) : Address;
        return (new OpenBaoConnection(address, overrides.Namespace ?? Namespace, tls), overrides.AuthMount ?? AuthMount);
    }
}
