namespace Kubernetes.Emulator;

/// <summary>One line of a watch stream, decided but not yet rendered.</summary>
/// <param name="Type">The wire type: <c>ADDED</c>, <c>MODIFIED</c>, <c>DELETED</c> or <c>BOOKMARK</c>.</param>
/// <param name="Pod">The object to send, its resourceVersion already the event's; null for a bookmark.</param>
internal sealed record PodWatchEvent(string Type, StoredPod? Pod, long ResourceVersion);
