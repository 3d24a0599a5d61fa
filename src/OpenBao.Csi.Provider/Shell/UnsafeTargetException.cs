namespace OpenBao.Csi.Provider.Shell;

/// <summary>The files of a mount cannot be written safely under the target directory; nothing was written.</summary>
internal sealed class UnsafeTargetException(string message) : Exception(message);
