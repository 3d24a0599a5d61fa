namespace Kubernetes.Emulator;

/// <summary>Method and path only: headers and bodies may carry tokens, which the log must never hold.</summary>
internal sealed record RequestLogEntry(string Method, string Path);
