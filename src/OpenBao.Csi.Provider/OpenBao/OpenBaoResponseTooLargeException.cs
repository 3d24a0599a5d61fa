namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>An OpenBao answer above the response size limit, refused without being read whole.</summary>
internal sealed class OpenBaoResponseTooLargeException(string message) : OpenBaoCallException(message);
