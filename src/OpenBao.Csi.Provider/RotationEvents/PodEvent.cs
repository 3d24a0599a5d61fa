namespace OpenBao.Csi.Provider.RotationEvents;

/// <summary>A core/v1 Event about one pod, as the provider posts it.</summary>
/// <param name="Name">Chosen by the provider, so repeats can be aggregated onto it without reading it back.</param>
internal sealed record PodEvent(
    string Name,
    string Namespace,
    string PodName,
    string PodUid,
    string Type,
    string Reason,
    string Message,
    int Count,
    DateTimeOffset FirstTimestamp,
    DateTimeOffset LastTimestamp);
