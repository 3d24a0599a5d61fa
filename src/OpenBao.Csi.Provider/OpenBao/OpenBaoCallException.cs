namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>
/// A call to OpenBao failed: it answered with an error, could not be reached, redirected where the token
/// may not go, or answered too much. Callers that name what depended on the call catch this one type.
/// </summary>
internal abstract class OpenBaoCallException(string message, Exception? inner = null) : Exception(message, inner);
