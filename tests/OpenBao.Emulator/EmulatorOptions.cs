namespace OpenBao.Emulator;

/// <summary>How <see cref="OpenBaoEmulator.StartAsync"/> sets the emulator up.</summary>
public sealed class EmulatorOptions
{
    /// <summary>Serve HTTPS with a certificate signed by a fresh CA (see <see cref="OpenBaoEmulator.CaCertificatePem"/>).</summary>
    public bool UseTls { get; init; }

    /// <summary>Also serve plain HTTP on this Unix socket (see <see cref="OpenBaoEmulator.UnixSocketAddress"/>), like an OpenBao Agent listener.</summary>
    public string? UnixSocketPath { get; init; }

    /// <summary>
    /// The clock behind token, lease, JWT and certificate times. Pass a <see cref="ManualTimeProvider"/>
    /// to make expiry happen on demand; <see cref="OpenBaoEmulator.Latency"/> always uses the wall clock.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// The cluster whose service-account JWTs the auth mounts trust. Null (the default) means a key
    /// shared by every emulator in the process, which spares each start an RSA key generation.
    /// </summary>
    public ServiceAccountTokenIssuer? Issuer { get; init; }
}
