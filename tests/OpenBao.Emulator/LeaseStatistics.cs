namespace OpenBao.Emulator;

/// <summary>Counts over secret leases (not token leases), taken at one moment.</summary>
/// <param name="Issued">Leases ever created.</param>
/// <param name="Live">Neither revoked, nor expired, nor dead with their token (revoked or expired).</param>
/// <param name="Renewed">Successful <c>sys/leases/renew</c> calls.</param>
/// <param name="Revoked">Leases a revocation ended while live: <c>sys/leases/revoke</c>, or the revocation of their
/// token (<c>revoke-self</c>, <see cref="OpenBaoEmulator.RevokeAllTokens"/>). Expiry, of the lease or of its token, is not revocation.</param>
public sealed record LeaseStatistics(int Issued, int Live, int Renewed, int Revoked);
