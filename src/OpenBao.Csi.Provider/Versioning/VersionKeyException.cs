namespace OpenBao.Csi.Provider.Versioning;

/// <summary>The version key cannot be had; versions would be meaningless without it, so mounts fail.</summary>
internal sealed class VersionKeyException(string message, Exception? inner = null) : Exception(message, inner);
