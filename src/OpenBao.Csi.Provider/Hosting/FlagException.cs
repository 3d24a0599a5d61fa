namespace OpenBao.Csi.Provider.Hosting;

/// <summary>A command-line problem: printed as one line, exit code 2, as Go's flag package does.</summary>
internal sealed class FlagException(string message) : Exception(message);
