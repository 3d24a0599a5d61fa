using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Kubernetes.Emulator;

/// <summary>
/// Maps the few REST paths the fake serves onto endpoints, after the API server's own first steps, in the
/// order of its filter chain: a refusal while shutting down, authentication (401 without the kubeconfig's
/// bearer token), a refusal by Priority and Fairness, then routing.
/// </summary>
internal sealed class ApiRouter(
    ClusterStore store,
    string bearerToken,
    TokenRequestEndpoint tokens,
    SecretEndpoints secrets,
    EventEndpoints events,
    PodEndpoint pods,
    PodWatchEndpoint podWatches)
{
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        store.LogRequest(new RequestLogEntry(request.Method, path));

        if (store.TryTakeRefusal(RequestRefusal.ShuttingDown, path))
        {
            await WriteShuttingDownAsync(context).ConfigureAwait(false);
            return;
        }

        if (!string.Equals(request.Headers.Authorization.ToString(), $"Bearer {bearerToken}", StringComparison.Ordinal))
        {
            await WriteAsync(context, KubernetesStatus.Unauthorized()).ConfigureAwait(false);
            return;
        }

        if (store.TryTakeRefusal(RequestRefusal.TooManyRequests, path))
        {
            await WriteTooManyRequestsAsync(context).ConfigureAwait(false);
            return;
        }

        if (HttpMethods.IsPost(request.Method) && store.TryTakeRefusal(RequestRefusal.QuotaConflict, path))
        {
            await WriteAsync(
                context,
                KubernetesStatus.Conflict("resourcequotas", "compute", "the object has been modified; please apply your changes to the latest version and try again"))
                .ConfigureAwait(false);
            return;
        }

        ApiResponse? response;
        try
        {
            response = await RouteAsync(context, path).ConfigureAwait(false);
        }
        catch (JsonException exception)
        {
            response = KubernetesStatus.BadRequest($"couldn't get version/kind; json parse error: {exception.Message}");
        }

        if (response is null)
        {
            // A watch streamed its own response.
            return;
        }

        await WriteAsync(context, response).ConfigureAwait(false);
    }

    private static async Task WriteAsync(HttpContext context, ApiResponse response)
    {
        context.Response.StatusCode = response.StatusCode;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(response.Body.ToJsonString(KubernetesJson.Options), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// waitGroupWriteRetryAfterToResponse: the Status is encoded by a JSON encoder, which ends it with a
    /// newline, and then printed with Fprintln, which adds another.
    /// </summary>
    private static async Task WriteShuttingDownAsync(HttpContext context)
    {
        var status = KubernetesStatus.ServiceUnavailable("apiserver is shutting down");
        var response = context.Response;
        response.StatusCode = status.StatusCode;
        response.Headers.RetryAfter = "1";
        response.ContentType = "application/json";
        response.Headers.XContentTypeOptions = "nosniff";
        await response.WriteAsync(status.Body.ToJsonString(KubernetesJson.Options) + "\n\n", context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// The Priority and Fairness filter's tooManyRequests, which answers with Go's http.Error: plain text and a
    /// trailing newline. Its Retry-After grows with recent rejections from 1, the value after a quiet spell.
    /// </summary>
    private static async Task WriteTooManyRequestsAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = "1";
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.XContentTypeOptions = "nosniff";
        await response.WriteAsync("Too many requests, please try again later.\n", context.RequestAborted).ConfigureAwait(false);
    }

    /// <returns>The response to write, or null when the endpoint has already written it.</returns>
    private async Task<ApiResponse?> RouteAsync(HttpContext context, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = context.Request.Method;
        if (segments is ["api", "v1", "pods"])
        {
            return await PodCollectionAsync(context, method, @namespace: null).ConfigureAwait(false);
        }

        if (segments is ["api", "v1", "events"])
        {
            return HttpMethods.IsGet(method) ? events.List(@namespace: null, context.Request.Query) : KubernetesStatus.MethodNotAllowed();
        }

        if (segments.Length < 5 || segments[0] != "api" || segments[1] != "v1" || segments[2] != "namespaces")
        {
            return KubernetesStatus.UnknownPath();
        }

        var @namespace = segments[3];
        switch (segments[4], segments.Length)
        {
            case ("serviceaccounts", 7) when segments[6] == "token":
                return HttpMethods.IsPost(method)
                    ? tokens.Create(@namespace, segments[5], await ReadObjectAsync(context).ConfigureAwait(false))
                    : KubernetesStatus.MethodNotAllowed();
            case ("secrets", 5):
                if (!HttpMethods.IsPost(method))
                {
                    return KubernetesStatus.MethodNotAllowed();
                }

                var dryRun = context.Request.Query["dryRun"].Contains("All");
                var body = await ReadObjectAsync(context).ConfigureAwait(false);
                return await secrets.CreateAsync(@namespace, body, dryRun, context.RequestAborted).ConfigureAwait(false);
            case ("secrets", 6):
                return HttpMethods.IsGet(method) ? secrets.Get(@namespace, segments[5]) : KubernetesStatus.MethodNotAllowed();
            case ("events", 5):
                if (HttpMethods.IsPost(method))
                {
                    return await events.CreateAsync(@namespace, context.Request.Query, () => ReadObjectAsync(context)).ConfigureAwait(false);
                }

                return HttpMethods.IsGet(method) ? events.List(@namespace, context.Request.Query) : KubernetesStatus.MethodNotAllowed();
            case ("events", 6):
                return await EventAsync(context, method, @namespace, segments[5]).ConfigureAwait(false);
            case ("pods", 5):
                return await PodCollectionAsync(context, method, @namespace).ConfigureAwait(false);
            case ("pods", 6):
                return HttpMethods.IsGet(method) ? pods.Get(@namespace, segments[5]) : KubernetesStatus.MethodNotAllowed();
            default:
                return KubernetesStatus.UnknownPath();
        }
    }

    /// <summary>A GET on a collection is a list, or a watch when the watch parameter says so.</summary>
    private async Task<ApiResponse?> PodCollectionAsync(HttpContext context, string method, string? @namespace)
    {
        if (!HttpMethods.IsGet(method))
        {
            return KubernetesStatus.MethodNotAllowed();
        }

        return ListQuery.IsWatch(context.Request.Query)
            ? await podWatches.ServeAsync(context, @namespace).ConfigureAwait(false)
            : pods.List(@namespace, context.Request.Query);
    }

    private async Task<ApiResponse> EventAsync(HttpContext context, string method, string @namespace, string name)
    {
        if (HttpMethods.IsGet(method))
        {
            return events.Get(@namespace, name);
        }

        if (HttpMethods.IsDelete(method))
        {
            // The body's DeleteOptions are not read: the fake implements no preconditions.
            return events.Delete(@namespace, name, context.Request.Query);
        }

        return HttpMethods.IsPatch(method)
            ? await events.PatchAsync(@namespace, name, context.Request.Query, context.Request.ContentType, () => ReadBytesAsync(context)).ConfigureAwait(false)
            : KubernetesStatus.MethodNotAllowed();
    }

    private static async Task<byte[]> ReadBytesAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        return body.ToArray();
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        var node = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        return node as JsonObject ?? throw new JsonException("the request body is not a JSON object");
    }
}
