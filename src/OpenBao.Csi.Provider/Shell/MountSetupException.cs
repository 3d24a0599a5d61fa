namespace OpenBao.Csi.Provider.Shell;

/// <summary>
/// What keeps <c>mount</c> from sending a request at all (an unreadable manifest, no way to a token, an unknown
/// pod): one line on stderr and exit 1.
/// </summary>
internal sealed class MountSetupException(string message, Exception? inner = null) : Exception(message, inner);
