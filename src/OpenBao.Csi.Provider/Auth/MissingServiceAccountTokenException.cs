namespace OpenBao.Csi.Provider.Auth;

/// <summary>No service-account token for the audience, and no way to request one.</summary>
internal sealed class MissingServiceAccountTokenException(string message) : Exception(message);
