namespace OpenBao.Csi.Provider.Mounting;

/// <summary>The pod the driver mounts for, as the driver names it in <c>attributes</c>.</summary>
internal sealed record PodIdentity(string Namespace, string ServiceAccountName, string? Name, string? Uid);
