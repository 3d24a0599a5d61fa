using OpenBao.Csi.Provider.Rendering;

namespace OpenBao.Csi.Provider.Pipeline;

/// <summary>The files of one mount and a version per object, in the SecretProviderClass's order.</summary>
internal sealed record MountResult(IReadOnlyList<RenderedFile> Files, IReadOnlyList<ObjectVersionEntry> Versions);
