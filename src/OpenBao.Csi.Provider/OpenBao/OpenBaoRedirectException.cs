namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>OpenBao answered with a redirect the provider will not follow: to http from https, off an agent's socket, a loop, or a 303.</summary>
internal sealed class OpenBaoRedirectException(string message) : OpenBaoCallException(message);
