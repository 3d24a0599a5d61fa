namespace Kubernetes.Emulator;

/// <summary>A stored Secret as the fake would serve it, decoded for assertions.</summary>
public sealed record SecretRecord(
    string Namespace,
    string Name,
    string Uid,
    string Type,
    bool Immutable,
    IReadOnlyDictionary<string, byte[]> Data,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations);
