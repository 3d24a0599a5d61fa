namespace Kubernetes.Emulator;

/// <summary>
/// One TokenRequest body as the fake received it, before any authorization or validation,
/// so tests can assert what a client asked for even when the request was refused.
/// </summary>
public sealed record TokenRequestRecord(
    string Namespace,
    string ServiceAccount,
    IReadOnlyList<string> Audiences,
    long? ExpirationSeconds,
    string? BoundKind,
    string? BoundName,
    string? BoundUid);
