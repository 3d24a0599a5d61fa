namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>Body of <c>auth/token/renew-self</c>; <c>increment</c> in seconds.</summary>
internal sealed record RenewSelfRequest(long Increment);
