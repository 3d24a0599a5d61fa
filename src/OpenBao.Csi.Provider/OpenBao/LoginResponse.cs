namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>The part of a login answer the provider uses: <c>auth</c>.</summary>
internal sealed record LoginResponse(LoginAuth? Auth);
