using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OpenBao.Emulator.Internal.Formatting;
using OpenBao.Emulator.Internal.Namespaces;
using OpenBao.Emulator.Internal.Policies;
using OpenBao.Emulator.Internal.Sys;
using OpenBao.Emulator.Internal.Tokens;

namespace OpenBao.Emulator.Internal.Http;

/// <summary>
/// Every request's path through the emulator, in OpenBao's order: health, seal, method, body,
/// namespace, token, policy, mount. Injected latency and faults come first (a fault that acts after
/// handling is taken first too, so it belongs to this request), the log entry just before the answer.
/// </summary>
internal sealed class RequestPipeline(
    NamespaceRegistry namespaces,
    EmulatorContext context,
    ServerState state,
    LatencyLine latency,
    FaultInjector faults,
    RequestLog log)
{
    private const string ApiPrefix = "/v1/";
    private const int ClientClosedRequest = 499;
    private const int ConnectionReset = 0;

    private readonly HealthEndpoint _health = new(context.Time);

    public async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var namespaceHeader = request.Headers["X-Vault-Namespace"].FirstOrDefault();
        var tokenId = TokenFrom(request);
        var recordedNamespace = string.IsNullOrEmpty(namespaceHeader) ? null : namespaceHeader;
        var recorded = false;

        // Recorded before the answer leaves: a client that has the response may look at the log at once.
        void Record(int status)
        {
            if (recorded)
            {
                return;
            }

            recorded = true;
            log.Add(new RecordedRequest(
                request.Method,
                request.Path.Value ?? "",
                request.QueryString.HasValue ? request.QueryString.Value![1..] : "",
                recordedNamespace,
                status,
                HadToken: tokenId.Length > 0));
        }

        log.Arrived(request.Method, request.Path.Value ?? "");
        try
        {
            if (state.Latency > TimeSpan.Zero)
            {
                await latency.DelayAsync(state.Latency, http.RequestAborted);
            }

            var path = request.Path.Value ?? "";
            var fault = path.StartsWith(ApiPrefix, StringComparison.Ordinal) ? faults.TryTake(path) : null;
            if (fault is { AfterHandling: false, Response: { } early })
            {
                Record(AnsweredOrGone(http, early.StatusCode));
                await ResponseWriter.WriteAsync(http, early.StatusCode, ResponseWriter.Serialize(early));
                return;
            }

            var (result, body, ns) = await ProcessSafelyAsync(http, namespaceHeader, tokenId);
            if (ns is not null)
            {
                recordedNamespace = ns.Name;
            }

            switch (fault)
            {
                case { Response: null }:
                    // Nothing of the response has been sent, so the client sees a reset and no status at all.
                    Record(ConnectionReset);
                    http.Abort();
                    return;
                case { Response: { } late }:
                    (result, body) = (late, ResponseWriter.Serialize(late));
                    break;
            }

            Record(AnsweredOrGone(http, result.StatusCode));
            await ResponseWriter.WriteAsync(http, result.StatusCode, body);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client gave up during the injected latency or the handling: logged below, as never answered.
        }
        finally
        {
            // So is a request that failed in the pipeline itself (outside ProcessSafelyAsync's answers).
            Record(ClientClosedRequest);
        }
    }

    /// <summary>A client that has already gone never gets the answer: logged as 499, as OpenBao's own request log would.</summary>
    private static int AnsweredOrGone(HttpContext http, int status) =>
        http.RequestAborted.IsCancellationRequested ? ClientClosedRequest : status;

    /// <summary><c>X-Vault-Token</c> wins over <c>Authorization: Bearer</c>.</summary>
    private static string TokenFrom(HttpRequest request)
    {
        if (request.Headers["X-Vault-Token"].FirstOrDefault() is { Length: > 0 } token)
        {
            return token;
        }

        var authorization = request.Headers.Authorization.FirstOrDefault() ?? "";
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : "";
    }

    /// <summary>Null for a method OpenBao does not serve (a <c>list</c> flag Go cannot parse is refused before this).</summary>
    private static Operation? OperationOf(HttpRequest request) => request.Method switch
    {
        "GET" when GoBool.Parse(request.Query["list"].FirstOrDefault() ?? "") == true => Operation.List,
        "GET" => Operation.Read,
        "LIST" => Operation.List,
        "POST" or "PUT" => Operation.Update,
        "DELETE" => Operation.Delete,
        "PATCH" => Operation.Patch,
        _ => null,
    };

    /// <summary>An emulator bug answers 500 with its description, so the failing test shows it.</summary>
    private async Task<(ApiResult Result, byte[]? Body, NamespaceEntry? Namespace)> ProcessSafelyAsync(HttpContext http, string? namespaceHeader, string tokenId)
    {
        try
        {
            var (result, ns) = await ProcessAsync(http, namespaceHeader, tokenId);
            return (result, ResponseWriter.Serialize(result), ns);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var failure = ApiResult.Wrapped(500, $"emulator failure: {exception}");
            return (failure, ResponseWriter.Serialize(failure), null);
        }
    }

    private async Task<(ApiResult Result, NamespaceEntry? Namespace)> ProcessAsync(HttpContext http, string? namespaceHeader, string tokenId)
    {
        var request = http.Request;
        var path = request.Path.Value ?? "";
        if (!path.StartsWith(ApiPrefix, StringComparison.Ordinal))
        {
            return (ApiResult.NotFound(), null);
        }

        var relativePath = path[ApiPrefix.Length..];
        if (relativePath == "sys/health" && request.Method == "GET")
        {
            return (_health.Handle(request.Query, state.Sealed), null);
        }

        if (state.Sealed)
        {
            return (ApiResult.Error(503, "Vault is sealed"), null);
        }

        if (request.Method == "GET" && request.Query["list"].FirstOrDefault() is { Length: > 0 } listFlag && GoBool.Parse(listFlag) is null)
        {
            return (new ErrorResult(400, []), null);
        }

        if (OperationOf(request) is not { } operation)
        {
            return (new ErrorResult(405, []), null);
        }

        // OpenBao lists folders: LIST (or GET ?list=true) of "a/b" is a request for "a/b/".
        if (operation == Operation.List && !relativePath.EndsWith('/'))
        {
            relativePath += "/";
        }

        var (fields, parseError) = operation is Operation.Update or Operation.Patch
            ? await ReadBodyAsync(request, http.RequestAborted)
            : (RequestFields.FromQuery(request.Query.Select(pair => KeyValuePair.Create(pair.Key, pair.Value.FirstOrDefault() ?? ""))), null);
        if (parseError is not null)
        {
            return (ApiResult.BadRequest(parseError), null);
        }

        if (!namespaces.TryResolve(namespaceHeader, relativePath, out var ns, out relativePath))
        {
            return (ApiResult.Error(404, "namespace not found"), null);
        }

        // request_handling.go: outside root, an administrator's lock (on the namespace or one above it, the outermost
        // named) comes before a seal.
        if (!ns.IsRoot && NamespaceClosed(namespaces.PathTo(ns), relativePath) is { } closed)
        {
            return (closed, null);
        }

        // request_handling.go: a lease endpoint acts in the namespace the lease was issued in, named by its ID's
        // suffix, whatever namespace the request addressed; the token's policies are then checked there.
        if (LeaseIdOf(relativePath, fields) is { } leaseId && namespaces.OfQualified(leaseId) is { } leaseNamespace)
        {
            ns = leaseNamespace;
        }

        return (Dispatch(operation, ns, relativePath, fields, tokenId), ns);
    }

    private static ApiResult? NamespaceClosed(IReadOnlyList<NamespaceEntry> lineage, string relativePath)
    {
        if (lineage.FirstOrDefault(entry => entry.Locked) is { } locking && relativePath != "sys/namespaces/api-lock/unlock")
        {
            return ApiResult.Error(503, $"API access to this namespace has been locked by an administrator - \"{locking.Path}\" must be unlocked to gain access.");
        }

        return lineage.Any(entry => entry.Sealed) ? ApiResult.Error(503, "namespace is sealed") : null;
    }

    /// <summary>The lease a <c>sys/leases/</c> request names: lookup by its body, renew and revoke by body or URL.</summary>
    private static string? LeaseIdOf(string path, RequestFields fields)
    {
        if (path is "sys/leases/lookup" or "sys/leases/renew" or "sys/leases/revoke")
        {
            return fields.GetString("lease_id") is { Length: > 0 } fromBody ? fromBody : null;
        }

        foreach (var prefix in (string[])["sys/leases/renew/", "sys/leases/revoke/"])
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                return fields.GetString("lease_id") is { Length: > 0 } fromBody ? fromBody : path[prefix.Length..];
            }
        }

        return null;
    }

    private ApiResult Dispatch(Operation operation, NamespaceEntry ns, string path, RequestFields fields, string tokenId)
    {
        var routed = ns.Mounts.TryRoute(path, out var backend, out var remainder);
        TokenEntry? token = null;
        if (!(routed && backend is IAuthBackend && remainder == "login"))
        {
            token = tokenId.Length > 0 ? context.Tokens.FindValid(tokenId) : null;
            if (token is null)
            {
                return ApiResult.InvalidToken();
            }

            if (!IsAuthorized(token, ns, path, operation))
            {
                return ApiResult.PolicyDenied();
            }
        }

        return routed
            ? backend!.Handle(new ApiRequest(operation, path, ns, fields, token), remainder)
            : ApiResult.NoHandler(path);
    }

    /// <summary>Policies live in the token's namespace and name paths relative to it.</summary>
    private static bool IsAuthorized(TokenEntry token, NamespaceEntry ns, string path, Operation operation)
    {
        if (token.IsRoot)
        {
            return ns.IsWithin(token.Namespace);
        }

        var acl = Acl.Build(token.Namespace.Path, token.Namespace.Policies.RulesOf(token.Policies));
        return acl.Allows(ns.Path + path, operation);
    }

    private static async Task<(RequestFields Fields, string? Error)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length == 0)
        {
            return (RequestFields.Empty, null);
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (RequestFields.FromJsonObject(document.RootElement), null)
                : (RequestFields.Empty, "failed to parse JSON input: json: cannot unmarshal non-object into Go value of type map[string]interface {}");
        }
        catch (JsonException exception)
        {
            return (RequestFields.Empty, $"failed to parse JSON input: {exception.Message}");
        }
    }
}
