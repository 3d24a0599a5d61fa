namespace Kubernetes.Emulator;

/// <summary>
/// A stored core/v1 Event as the fake would serve it, for assertions. Strings the event does not set are
/// empty, as the API server does not tell them from absent ones; unset times are null.
/// </summary>
/// <param name="Count">0 when unset, which is how the API server stores a count of 0.</param>
/// <param name="EventTime">Set only by events.k8s.io-style recorders; the legacy recorder leaves it null.</param>
/// <param name="ReportingController">The core/v1 <c>reportingComponent</c> field.</param>
public sealed record EventRecord(
    string Namespace,
    string Name,
    string Uid,
    string ResourceVersion,
    string Type,
    string Reason,
    string Message,
    int Count,
    DateTimeOffset? FirstTimestamp,
    DateTimeOffset? LastTimestamp,
    DateTimeOffset? EventTime,
    EventObjectReference InvolvedObject,
    string SourceComponent,
    string SourceHost,
    string ReportingController,
    string ReportingInstance,
    string Action);
