namespace OpenBao.Csi.Provider.KubernetesApi;

// The fields of the Kubernetes resources the provider reads or writes, and nothing else: the API
// server ignores what a client does not send and the reader skips what it does not know.

internal sealed record KubernetesStatus(string? Message, int? Code, string? Reason, StatusDetails? Details = null);

internal sealed record StatusDetails(IReadOnlyList<StatusCause>? Causes);

/// <summary>metav1.StatusCause, whose type is spelled <c>reason</c> on the wire.</summary>
internal sealed record StatusCause(string? Reason);

internal sealed record ObjectMeta(
    string? Name = null,
    string? Namespace = null,
    string? Uid = null,
    string? ResourceVersion = null,
    IReadOnlyDictionary<string, string>? Labels = null);

internal sealed record ListMeta(string? ResourceVersion);

/// <summary>What any write answers with, when only its identity matters.</summary>
internal sealed record KubernetesObject(ObjectMeta? Metadata);

internal sealed record TokenRequest(TokenRequestSpec Spec, string ApiVersion = "authentication.k8s.io/v1", string Kind = "TokenRequest");

internal sealed record TokenRequestSpec(IReadOnlyList<string> Audiences, long ExpirationSeconds, ObjectReference BoundObjectRef);

internal sealed record TokenRequestStatus(string? Token);

internal sealed record TokenRequestResult(TokenRequestStatus? Status);

internal sealed record ObjectReference(string Kind, string Name, string? Uid = null, string? Namespace = null, string ApiVersion = "v1");

/// <summary><c>data</c> values are base64 on the wire, which is how System.Text.Json writes and reads byte arrays.</summary>
internal sealed record Secret(
    ObjectMeta Metadata,
    IReadOnlyDictionary<string, byte[]>? Data = null,
    bool? Immutable = null,
    string? Type = null,
    string ApiVersion = "v1",
    string Kind = "Secret");

internal sealed record PodStatus(string? Phase);

internal sealed record PodSpec(string? ServiceAccountName);

internal sealed record Pod(ObjectMeta? Metadata, PodStatus? Status, PodSpec? Spec = null);

internal sealed record PodList(ListMeta? Metadata, IReadOnlyList<Pod>? Items);

internal sealed record EventSource(string Component, string? Host);

/// <summary>A core/v1 Event; timestamps are RFC 3339 with second precision, as metav1.Time marshals.</summary>
internal sealed record CoreEvent(
    ObjectMeta Metadata,
    ObjectReference InvolvedObject,
    string Type,
    string Reason,
    string Message,
    int Count,
    string FirstTimestamp,
    string LastTimestamp,
    EventSource Source,
    string ReportingComponent,
    string ReportingInstance,
    string ApiVersion = "v1",
    string Kind = "Event");
