using System.Text.Json.Nodes;

namespace Kubernetes.Emulator;

/// <summary>
/// Builds metav1.Status failures with the reasons, codes, details and message texts of
/// k8s.io/apimachinery/pkg/api/errors, which clients parse and sometimes match on.
/// </summary>
internal static class KubernetesStatus
{
    public static ApiResponse NotFound(string resource, string name) =>
        Failure(404, "NotFound", $"{resource} {GoFormat.Quote(name)} not found", Details(name, group: null, resource));

    public static ApiResponse AlreadyExists(string resource, string name) =>
        Failure(409, "AlreadyExists", $"{resource} {GoFormat.Quote(name)} already exists", Details(name, group: null, resource));

    public static ApiResponse Conflict(string qualifiedResource, string name, string reason) =>
        Failure(
            409,
            "Conflict",
            $"Operation cannot be fulfilled on {qualifiedResource} {GoFormat.Quote(name)}: {reason}",
            Details(name, group: null, qualifiedResource));

    /// <summary>
    /// The RBAC denial text of the API server's authorization filter. <paramref name="name"/> is empty
    /// for a create on a collection, where the real message drops the quoted name; <paramref name="namespace"/>
    /// is empty for a request across all namespaces, which the message calls the cluster scope.
    /// </summary>
    public static ApiResponse Forbidden(string user, string verb, string resource, string? subresource, string @namespace, string name)
    {
        var fullResource = subresource is null ? resource : $"{resource}/{subresource}";
        var scope = @namespace.Length == 0 ? "at the cluster scope" : $"in the namespace {GoFormat.Quote(@namespace)}";
        var reason =
            $"User {GoFormat.Quote(user)} cannot {verb} resource {GoFormat.Quote(fullResource)} in API group \"\" {scope}";
        var message = name.Length == 0
            ? $"{resource} is forbidden: {reason}"
            : $"{resource} {GoFormat.Quote(name)} is forbidden: {reason}";
        return Failure(403, "Forbidden", message, Details(name, group: null, resource));
    }

    /// <param name="kind">The kind, e.g. <c>Secret</c>; empty (with an empty name) for a patch whose result cannot be decoded.</param>
    /// <param name="group">The API group, empty for the core group.</param>
    public static ApiResponse Invalid(string kind, string group, string name, IReadOnlyList<FieldError> errors)
    {
        var qualifiedKind = group.Length == 0 ? kind : $"{kind}.{group}";
        // Go's aggregate error drops repeated texts and prints one error bare, several as "[a, b]";
        // the causes keep every error.
        var texts = errors.Select(e => e.ToString()).Distinct(StringComparer.Ordinal).ToList();
        var aggregate = texts.Count == 1 ? texts[0] : $"[{string.Join(", ", texts)}]";
        var details = Details(name, group, kind);
        var causes = new JsonArray();
        foreach (var error in errors)
        {
            causes.Add(new JsonObject { ["reason"] = error.CauseType, ["message"] = error.Body, ["field"] = error.Field });
        }

        details["causes"] = causes;
        return Failure(422, "Invalid", $"{qualifiedKind} {GoFormat.Quote(name)} is invalid: {aggregate}", details);
    }

    /// <summary>
    /// NamespaceLifecycle's refusal of a create in a namespace being deleted: a Forbidden from admission,
    /// with a cause clients test to tell it from an RBAC denial.
    /// </summary>
    public static ApiResponse NamespaceTerminating(string resource, string name, string @namespace)
    {
        var details = Details(name, group: null, resource);
        details["causes"] = new JsonArray(new JsonObject
        {
            ["reason"] = "NamespaceTerminating",
            ["message"] = $"namespace {@namespace} is being terminated",
            ["field"] = "metadata.namespace",
        });
        return Failure(
            403,
            "Forbidden",
            $"{resource} {GoFormat.Quote(name)} is forbidden: unable to create new content in namespace {@namespace} because it is being terminated",
            details);
    }

    public static ApiResponse BadRequest(string message) => Failure(400, "BadRequest", message, details: null);

    /// <summary>
    /// errors.NewGenericServerResponse for 422, which a JSON patch that cannot be applied gets: the
    /// reason is Invalid but the message is generic, and the details are present but empty.
    /// </summary>
    public static ApiResponse RejectedRequest() =>
        Failure(422, "Invalid", "the server rejected our request due to an error in our request", []);

    /// <summary>negotiation.NewUnsupportedMediaTypeError: a Content-Type the endpoint does not take; no details.</summary>
    public static ApiResponse UnsupportedMediaType(IEnumerable<string> accepted) =>
        Failure(
            415,
            "UnsupportedMediaType",
            $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", accepted)}",
            details: null);

    /// <summary>
    /// errors.NewResourceExpired: a 410 whose reason is Expired rather than Gone, which is what clients
    /// test (IsResourceExpired) before they relist.
    /// </summary>
    public static ApiResponse Expired(string message) => Failure(410, "Expired", message, details: null);

    /// <summary>
    /// storage.NewTooLargeResourceVersionError: a Timeout (errors.NewTimeoutError prefixes "Timeout: ")
    /// whose cause tells clients the resourceVersion is ahead of the server, retried after a second.
    /// </summary>
    public static ApiResponse TooLargeResourceVersion(ulong requested, long current)
    {
        var details = new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ResourceVersionTooLarge", ["message"] = "Too large resource version" }),
            ["retryAfterSeconds"] = 1,
        };
        return Failure(504, "Timeout", $"Timeout: Too large resource version: {requested}, current: {current}", details);
    }

    /// <summary>
    /// What the API server makes of an error that is not already a Status: code 500 and an empty
    /// reason, which the JSON omits.
    /// </summary>
    public static ApiResponse InternalWithoutReason(string message) => Failure(500, reason: null, message, details: null);

    /// <summary>errors.NewServiceUnavailable: reason ServiceUnavailable and no details.</summary>
    public static ApiResponse ServiceUnavailable(string message) => Failure(503, "ServiceUnavailable", message, details: null);

    public static ApiResponse Unauthorized() => Failure(401, "Unauthorized", "Unauthorized", details: null);

    public static ApiResponse MethodNotAllowed() =>
        Failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", []);

    public static ApiResponse UnknownPath() =>
        Failure(404, "NotFound", "the server could not find the requested resource", []);

    /// <summary>
    /// What the generic registry answers a DELETE with when the kind does not return the deleted object:
    /// Success, no code or message, and details whose <c>kind</c> is the resource.
    /// </summary>
    public static ApiResponse Deleted(string resource, string name, string uid)
    {
        var details = Details(name, group: null, resource);
        details["uid"] = uid;
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
        return new ApiResponse(200, status);
    }

    private static JsonObject Details(string name, string? group, string kind)
    {
        // apimachinery omits empty fields, so core-group details carry no "group".
        var details = new JsonObject();
        if (name.Length > 0)
        {
            details["name"] = name;
        }

        if (!string.IsNullOrEmpty(group))
        {
            details["group"] = group;
        }

        if (kind.Length > 0)
        {
            details["kind"] = kind;
        }

        return details;
    }

    private static ApiResponse Failure(int code, string? reason, string message, JsonObject? details)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
        };
        if (reason is not null)
        {
            status["reason"] = reason;
        }

        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return new ApiResponse(code, status);
    }
}
