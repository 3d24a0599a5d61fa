namespace Kubernetes.Emulator;

/// <summary>
/// How <see cref="FakeKubernetesApi.RefuseNextRequests"/> turns a request away: the answers of the API server's
/// own filters, which come before authorization and any handler, so nothing is read or stored.
/// </summary>
public enum RequestRefusal
{
    /// <summary>
    /// API Priority and Fairness found no room for the request: 429 with <c>Retry-After: 1</c> and the plain text
    /// <c>Too many requests, please try again later.</c> It comes after authentication, so a request without
    /// the bearer token still gets 401 and leaves the refusal for the next.
    /// </summary>
    TooManyRequests,

    /// <summary>
    /// The server is shutting down and takes no new requests: 503 with <c>Retry-After: 1</c> and a
    /// <c>ServiceUnavailable</c> Status, <c>apiserver is shutting down</c>. It comes before authentication, and
    /// watches get it too, as with <c>--shutdown-watch-termination-grace-period</c> set.
    /// </summary>
    ShuttingDown,

    /// <summary>
    /// A create met a ResourceQuota whose status another request was updating, and the quota admission plugin
    /// gave up: 409 with reason <c>Conflict</c> (not <c>AlreadyExists</c>), and nothing is created. Only POSTs are
    /// refused; the real one comes after authorization, this one just before it.
    /// </summary>
    QuotaConflict,
}
