namespace OpenBao.Csi.Provider.Pipeline;

/// <summary>One object's version as the driver stores it in SecretProviderClassPodStatus.</summary>
internal sealed record ObjectVersionEntry(string Id, string Version);
