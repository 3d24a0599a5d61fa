namespace Kubernetes.Emulator;

/// <summary>The claims of one service account token; at most one of Pod and Secret is set.</summary>
internal sealed record BoundToken(
    string Namespace,
    string ServiceAccountName,
    string ServiceAccountUid,
    IReadOnlyList<string> Audiences,
    DateTimeOffset IssuedAt,
    DateTimeOffset Expiry,
    ObjectReference? Pod,
    ObjectReference? Secret);
