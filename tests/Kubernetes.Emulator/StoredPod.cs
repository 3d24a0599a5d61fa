namespace Kubernetes.Emulator;

internal sealed record StoredPod(string Namespace, string Name, string Uid, string ServiceAccountName, DateTimeOffset Created, long ResourceVersion);
