namespace OpenBao.Emulator;

/// <summary>Counts over tokens issued by logins (the root token is not counted), taken at one moment.</summary>
/// <param name="Logins">Successful logins, service and batch tokens alike.</param>
/// <param name="TokenRenewals">Successful <c>auth/token/renew-self</c> calls.</param>
/// <param name="TokensRevoked">Successful <c>auth/token/revoke-self</c> calls (not <see cref="OpenBaoEmulator.RevokeAllTokens"/>).</param>
public sealed record TokenStatistics(int Logins, int TokenRenewals, int TokensRevoked);
