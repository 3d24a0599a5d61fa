namespace OpenBao.Csi.Provider.Shell;

/// <summary>The pod a mount is for, as the kubelet describes it to the driver (CSIDriver <c>podInfoOnMount</c>).</summary>
/// <param name="Uid">Null when not known: the attribute is then left out.</param>
internal sealed record MountPod(string Namespace, string Name, string? Uid, string ServiceAccount);
