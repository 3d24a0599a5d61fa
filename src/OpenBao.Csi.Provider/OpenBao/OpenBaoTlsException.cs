namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>The TLS files named by flags or the SecretProviderClass cannot be used.</summary>
internal sealed class OpenBaoTlsException(string message, Exception? inner = null) : Exception(message, inner);
