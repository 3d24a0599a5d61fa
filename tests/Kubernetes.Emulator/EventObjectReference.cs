namespace Kubernetes.Emulator;

/// <summary>An event's <c>involvedObject</c>; fields it does not set are empty.</summary>
public sealed record EventObjectReference(string Kind, string Namespace, string Name, string Uid, string ApiVersion, string FieldPath);
