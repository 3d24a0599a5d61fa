using OpenBao.Csi.Provider.Rendering;

namespace OpenBao.Csi.Provider.Pipeline;

/// <summary>The files of one mount and a version per object, in the SecretProviderClass's order, and what it took.</summary>
/// <param name="Mount">The parsed request, for the mount's log line.</param>
/// <param name="Reads">Requests answered by OpenBao rather than kept dynamic secrets.</param>
/// <param name="Reused">Kept dynamic secrets served again.</param>
internal sealed record MountResult(
    IReadOnlyList<RenderedFile> Files, IReadOnlyList<ObjectVersionEntry> Versions, Mounting.MountConfiguration Mount, int Reads, int Reused);
