using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Rendering;

/// <summary>One file for the driver to write. <see cref="Contents"/> is secret: it never reaches a log or message.</summary>
/// <param name="VersionInput">What the version is computed from when it is not the contents (formats whose output is not deterministic).</param>
internal sealed record RenderedFile(SecretObject Source, int Mode, byte[] Contents, byte[]? VersionInput = null)
{
    public string Path => Source.ObjectName;

    public override string ToString() => $"RenderedFile({Path}, mode={Convert.ToString(Mode, 8)}, {Contents.Length} bytes)";
}
