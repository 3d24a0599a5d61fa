namespace Kubernetes.Emulator;

internal sealed record ObjectReference(string Name, string Uid);
