using System.Net;
using Grpc.Core;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.Fetching;
using OpenBao.Csi.Provider.KubernetesApi;
using OpenBao.Csi.Provider.Mounting;
using OpenBao.Csi.Provider.OpenBao;
using OpenBao.Csi.Provider.Pipeline;
using OpenBao.Csi.Provider.Rendering;
using OpenBao.Csi.Provider.Versioning;

namespace OpenBao.Csi.Provider.Grpc;

/// <summary>
/// Maps a failed mount to the status the driver turns into the pod's FailedMount event: a code that
/// says whose problem it is and a message that says what to fix. Messages come from our own
/// exception types, which never carry secret values, tokens or JWTs.
/// </summary>
internal static class MountErrorMapping
{
    /// <summary>
    /// OpenBao or the Kubernetes API down, sealed or failing, once the provider's own retries are spent. Not
    /// Unavailable: the driver makes two more attempts within about two seconds on that code (it means the provider's socket is not
    /// ready yet), which would triple the requests to a struggling OpenBao, issue dynamic credentials the provider
    /// chose not to ask for again, and count one failed poll three times. Aborted says "retry at a higher level":
    /// the kubelet's next attempt, or the next rotation poll.
    /// </summary>
    public const StatusCode OutageCode = StatusCode.Aborted;

    /// <summary>The detail of a failure none of the stages expected: a bug, logged with its stack.</summary>
    public const string UnexpectedDetail = "internal error in the provider; its log has the details";

    /// <param name="deadline">The caller's gRPC deadline.</param>
    /// <param name="budgetSpent">The <c>-mount-timeout</c> when it ran out; null while it has not.</param>
    public static Status ToStatus(Exception exception, DateTime deadline, TimeSpan? budgetSpent = null) => exception switch
    {
        InvalidMountRequestException ex => new(StatusCode.InvalidArgument, $"invalid SecretProviderClass: {ex.Message}"),
        MissingServiceAccountTokenException ex => new(StatusCode.FailedPrecondition, ex.Message),
        ServiceAccountTokenException ex => new(TokenRequestCode(ex), ex.Message),
        LoginFailedException ex => new(LoginCode(ex), ex.Message),
        SecretFetchException { InnerException: OpenBaoException bao } ex => new(ReadCode(bao), $"{ex.Message}{ReadHint(bao)}"),
        SecretFetchException { InnerException: OpenBaoCallException cause } ex => new(CallCode(cause), ex.Message),
        SecretFetchException ex => new(OutageCode, ex.Message),
        OpenBaoCallException ex => new(CallCode(ex), ex.Message),
        OpenBaoTlsException ex => new(StatusCode.FailedPrecondition, $"TLS to OpenBao: {ex.Message}"),
        RenderException ex => new(ex.KeyMissing ? StatusCode.NotFound : StatusCode.InvalidArgument, ex.Message),
        NothingToMountException ex => new(StatusCode.NotFound, ex.Message),
        VersionKeyException { InnerException: OperationCanceledException } ex => new(StatusCode.DeadlineExceeded, $"version key: {ex.Message}"),
        VersionKeyException { InnerException: HttpRequestException or KubernetesApiException { StatusCode: >= HttpStatusCode.InternalServerError or HttpStatusCode.TooManyRequests } } ex =>
            new(OutageCode, $"version key: {ex.Message}"),
        VersionKeyException ex => new(StatusCode.FailedPrecondition, $"version key: {ex.Message}"),
        OperationCanceledException when budgetSpent is { } timeout =>
            new(StatusCode.DeadlineExceeded, $"the mount did not finish within -mount-timeout ({timeout.TotalSeconds:0.###}s){WaitingFor(exception)}"),
        OperationCanceledException when deadline != DateTime.MaxValue && DateTime.UtcNow >= deadline =>
            new(StatusCode.DeadlineExceeded, $"the mount did not finish before the caller's deadline{WaitingFor(exception)}"),
        OperationCanceledException => new(StatusCode.Cancelled, "the caller cancelled the mount"),
        _ => new(StatusCode.Internal, UnexpectedDetail),
    };

    /// <summary>A request to OpenBao that failed, whether reading a secret or not.</summary>
    private static StatusCode CallCode(OpenBaoCallException failure) => failure switch
    {
        OpenBaoException bao => ReadCode(bao),
        OpenBaoResponseTooLargeException => StatusCode.ResourceExhausted,
        OpenBaoRedirectException => StatusCode.FailedPrecondition,
        OpenBaoUnavailableException { TimedOut: true } => StatusCode.DeadlineExceeded,
        _ => OutageCode,
    };

    private static string WaitingFor(Exception exception) =>
        exception is MountStepCancelledException step ? $": it was {step.Step}" : string.Empty;

    // The pod's identity problem (Unauthenticated) is told apart from a binding the admin must add (PermissionDenied),
    // OpenBao's configuration (FailedPrecondition) and what OpenBao could not do just now (an outage).
    private static StatusCode LoginCode(LoginFailedException failure) => failure.Refusal switch
    {
        LoginRefusal.InvalidCredential => StatusCode.Unauthenticated,
        LoginRefusal.NotBound or LoginRefusal.Denied => StatusCode.PermissionDenied,
        LoginRefusal.UnknownRole or LoginRefusal.RoleMisconfigured or LoginRefusal.UnknownNamespace or LoginRefusal.NamespaceClosed => StatusCode.FailedPrecondition,
        LoginRefusal.CheckUnavailable => OutageCode,
        _ => ReadCode(failure.OpenBaoError),
    };

    private static StatusCode TokenRequestCode(ServiceAccountTokenException failure) => failure.ApiStatus switch
    {
        // The pod's namespace is going away: no permission would help.
        HttpStatusCode.Forbidden when failure.InnerException is KubernetesApiException { IsNamespaceTerminating: true } => StatusCode.FailedPrecondition,
        HttpStatusCode.Forbidden => StatusCode.PermissionDenied,
        HttpStatusCode.NotFound => StatusCode.NotFound,
        HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict => StatusCode.FailedPrecondition,
        _ => OutageCode,
    };

    private static StatusCode ReadCode(OpenBaoException failure) => failure.StatusCode switch
    {
        400 or 405 or 422 => StatusCode.InvalidArgument,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.NotFound,
        // Closed by an administrator until they reopen it: not an outage to wait out.
        503 when failure.IsNamespaceClosed => StatusCode.FailedPrecondition,
        // OpenBao's own failure is ours to wait out, not a bug in the provider: Internal is kept for those.
        >= 500 or 429 => OutageCode,
        >= 400 => StatusCode.FailedPrecondition,
        _ => OutageCode,
    };

    private static string ReadHint(OpenBaoException failure) => failure.StatusCode switch
    {
        403 => " (the role's policies do not grant this path and method)",
        404 => " (check secretPath; KV v2 paths read as <mount>/data/<path>)",
        503 when failure.IsNamespaceClosed => $" ({OpenBaoException.NamespaceClosedHint})",
        503 => " (OpenBao is sealed or has no active node)",
        _ => string.Empty,
    };
}
