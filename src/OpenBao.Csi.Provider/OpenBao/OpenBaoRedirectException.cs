namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>OpenBao answered with a redirect the provider will not follow, because the pod's token would go with it.</summary>
internal sealed class OpenBaoRedirectException(string message) : OpenBaoCallException(message);
