namespace OpenBao.Csi.Provider.Hosting;

/// <summary>The process cannot start for a reason the operator fixes; the message names the flag or path and the fix, on one line.</summary>
internal sealed class ProviderStartException(string message, Exception? inner = null) : Exception(message, inner);
