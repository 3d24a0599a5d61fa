using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OpenBao.Csi.Provider.Metrics;

namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>
/// A thin typed client for the few OpenBao endpoints the provider uses. It is cheap to create:
/// the pooled handler behind it belongs to <see cref="OpenBaoClientFactory"/>.
/// </summary>
internal sealed class OpenBaoClient(HttpMessageInvoker invoker, OpenBaoConnection connection, OpenBaoClientSettings settings, ProviderMetrics metrics, TimeProvider time)
{
    private const int MaxRetries = 2;

    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(10);

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    /// <summary>What <see cref="Uri.EscapeDataString(string)"/> leaves alone, and the separator between segments.</summary>
    private static readonly SearchValues<char> UnreservedInPath = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/");

    public OpenBaoConnection Connection => connection;

    /// <summary>The pooled handler this client sends through (shared by clients of the same TLS configuration).</summary>
    public HttpMessageInvoker Invoker => invoker;

    public async Task<OpenBaoToken> LoginAsync(string authMount, string role, string jwt, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new LoginRequest(role, jwt), OpenBaoJsonContext.Default.LoginRequest);
        // A repeated login at worst makes a spare token that dies with its TTL, so logins retry like idempotent calls.
        var request = new OpenBaoRequest(HttpMethod.Post, $"auth/{authMount}/login", JsonBody: body, Idempotent: true) { Operation = OpenBaoOperation.Login };
        var obtainedAt = time.GetUtcNow();
        var response = Parse(await SendAsync(request, token: null, cancellationToken).ConfigureAwait(false), OpenBaoJsonContext.Default.LoginResponse, request);
        if (response?.Auth is not { ClientToken.Length: > 0 } auth)
        {
            throw new OpenBaoException(200, ["login answer carried no auth.client_token"], "POST", request.Path);
        }

        return new OpenBaoToken(auth.ClientToken, obtainedAt, OpenBaoDuration.FromSeconds(auth.LeaseDuration), auth.Renewable);
    }

    /// <summary><c>auth/token/renew-self</c>: returns the TTL OpenBao granted, which may be less than asked (max TTL).</summary>
    public async Task<RenewalGrant> RenewSelfAsync(string token, TimeSpan increment, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new RenewSelfRequest((long)increment.TotalSeconds), OpenBaoJsonContext.Default.RenewSelfRequest);
        var request = new OpenBaoRequest(HttpMethod.Post, "auth/token/renew-self", JsonBody: body, Idempotent: true) { Operation = OpenBaoOperation.RenewToken };
        var auth = Parse(await SendAsync(request, token, cancellationToken).ConfigureAwait(false), OpenBaoJsonContext.Default.LoginResponse, request)?.Auth
            ?? throw new OpenBaoException(200, ["renewal answer carried no auth block"], "POST", request.Path);
        return new RenewalGrant(OpenBaoDuration.FromSeconds(auth.LeaseDuration), auth.Renewable);
    }

    /// <summary><c>auth/token/revoke-self</c>: ends the token and every lease it created (the default policy allows it).</summary>
    public async Task RevokeSelfAsync(string token, CancellationToken cancellationToken)
    {
        var request = new OpenBaoRequest(HttpMethod.Post, "auth/token/revoke-self", Idempotent: true) { Operation = OpenBaoOperation.RevokeToken };
        await SendAsync(request, token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>sys/leases/renew</c>: returns the duration OpenBao granted, capped at the lease's max TTL.</summary>
    public async Task<RenewalGrant> RenewLeaseAsync(string leaseId, TimeSpan increment, string token, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new RenewLeaseRequest(leaseId, (long)increment.TotalSeconds), OpenBaoJsonContext.Default.RenewLeaseRequest);
        var request = new OpenBaoRequest(HttpMethod.Put, "sys/leases/renew", JsonBody: body, Idempotent: true) { Operation = OpenBaoOperation.RenewLease };
        var response = Parse(await SendAsync(request, token, cancellationToken).ConfigureAwait(false), OpenBaoJsonContext.Default.RenewLeaseResponse, request)
            ?? throw new OpenBaoException(200, ["lease renewal answer was empty"], "PUT", request.Path);
        return new RenewalGrant(OpenBaoDuration.FromSeconds(response.LeaseDuration), response.Renewable);
    }

    private T? Parse<T>(JsonElement response, JsonTypeInfo<T> type, OpenBaoRequest request)
    {
        try
        {
            return response.Deserialize(type);
        }
        catch (JsonException ex)
        {
            throw new OpenBaoUnavailableException(
                $"OpenBao at {connection.Address} answered {request.Method.Method} {request.Path} with an unexpected shape at {ex.Path ?? "$"}", ex);
        }
    }

    /// <summary>
    /// Sends one request, with a client token unless it logs in, and returns the whole response envelope.
    /// Retries a failed connection or a transient status (standby, rate limit, failover) twice with a short
    /// backoff, or for a rate limit as long as OpenBao's own client waits (its Retry-After, up to 10 s); a timeout
    /// or any other answer is final. A request that may have created something (a dynamic credential) is retried
    /// only when it provably did nothing: the connection never opened, or OpenBao answered 412, 429, 503 or a
    /// standby's 500.
    /// </summary>
    public async Task<JsonElement> SendAsync(OpenBaoRequest request, string? token, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SendAttemptAsync(request, token, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt <= MaxRetries && IsRetryable(ex, request.Idempotent))
            {
                await Task.Delay(Backoff(ex, attempt), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <remarks>
    /// OpenBao's Retry-After counts whole seconds left in the quota's window, rounded down, so it says 0 for most of
    /// the last second: it is a floor under the usual wait, not the wait itself.
    /// </remarks>
    private static TimeSpan Backoff(Exception failure, int attempt)
    {
        var usual = failure is OpenBaoException { StatusCode: 429 }
            // A rate-limit quota counts per second or longer: 1 to 1.5 s, then 2 to 3 s, as OpenBao's Go client waits.
            ? TimeSpan.FromMilliseconds(attempt * (1000 + Random.Shared.Next(500)))
            : TimeSpan.FromMilliseconds((100 << attempt) + Random.Shared.Next(50));
        return failure is OpenBaoException { StatusCode: 429 or 503, RetryAfter: { } asked } && asked > usual ? asked : usual;
    }

    private TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static bool IsRetryable(Exception exception, bool idempotent) => exception switch
    {
        // Asked to come back later than a mount should wait: the next poll will.
        OpenBaoException { StatusCode: 429 or 503, RetryAfter: { } asked } when asked > MaxRetryAfter => false,
        OpenBaoException { IsNamespaceClosed: true } => false,
        OpenBaoException { StatusCode: 412 or 429 or 503 } => true,
        OpenBaoException { StatusCode: 500 } standby when standby.Errors.Any(IsStandbyWithoutLeader) => true,
        OpenBaoException { StatusCode: 500 or 502 or 504 } => idempotent,
        OpenBaoUnavailableException { InnerException: HttpRequestException transport } =>
            idempotent || transport.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError,
        _ => false,
    };

    /// <summary>A standby that knows no active node (an election under way) answers 500 before handling the request.</summary>
    private static bool IsStandbyWithoutLeader(string error) => error.Contains("local node not active but active cluster node not found", StringComparison.Ordinal);

    /// <summary>One exchange with OpenBao (redirects followed), measured by the status it ended with.</summary>
    private async Task<JsonElement> SendAttemptAsync(OpenBaoRequest request, string? token, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var outcome = StatusLabels.TransportError;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.RequestTimeout);
        try
        {
            var uri = BuildUri(request);
            for (var redirects = 0; ; redirects++)
            {
                using var message = BuildMessage(request, uri, token);
                using var response = await invoker.SendAsync(message, timeout.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                outcome = StatusLabels.OfAnswer(status);
                if (status is >= 300 and < 400)
                {
                    uri = FollowableRedirect(request, uri, response, redirects);
                    continue;
                }

                var body = await ReadBoundedAsync(request, response.Content, timeout.Token).ConfigureAwait(false);
                if (!JsonStrings.AreReadable(body))
                {
                    throw new OpenBaoUnavailableException(
                        $"OpenBao at {connection.Address} answered {request.Method.Method} {request.Path} ({status}) with text that is not valid Unicode");
                }

                if (status is >= 200 and < 300)
                {
                    return JsonElement.Parse(body.Length == 0 ? "null"u8 : body);
                }

                throw new OpenBaoException(status, OpenBaoErrorReader.Read(status, body), request.Method.Method, request.Path)
                {
                    RetryAfter = RetryAfterOf(response),
                };
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = StatusLabels.Timeout;
            throw new OpenBaoUnavailableException(
                $"OpenBao at {connection.Address} did not answer {request.Method.Method} {request.Path} within {settings.RequestTimeout.TotalSeconds:0.#}s")
            { TimedOut = true };
        }
        catch (HttpRequestException ex)
        {
            throw new OpenBaoUnavailableException(
                $"cannot reach OpenBao at {connection.Address} ({DescribeTransportFailure(ex)})", ex);
        }
        catch (JsonException ex)
        {
            throw new OpenBaoUnavailableException(
                $"OpenBao at {connection.Address} answered {request.Method.Method} {request.Path} with a body that is not JSON", ex);
        }
        finally
        {
            // A caller that gave up is not OpenBao's doing.
            if (!cancellationToken.IsCancellationRequested)
            {
                metrics.OpenBaoRequest(request.Operation, outcome, time.GetElapsedTime(started));
            }
        }
    }

    /// <summary>
    /// A standby that cannot forward a request answers 307 with the active node's <c>api_addr</c>, often another
    /// host. As OpenBao's Go client does, the request goes there again with its method, body and token, except from
    /// https to http, where they would travel in clear; the TLS settings verify the new host as they did the first.
    /// Over an agent's Unix socket every host is that socket, so only the same path space is followed.
    /// </summary>
    private Uri FollowableRedirect(OpenBaoRequest request, Uri from, HttpResponseMessage response, int redirectsSoFar)
    {
        var status = (int)response.StatusCode;
        var target = response.Headers.Location is { } location ? new Uri(from, location) : null;
        var what = $"OpenBao at {connection.Address} redirected {request.Method.Method} {request.Path} ({status})";
        if (target is null)
        {
            throw new OpenBaoRedirectException($"{what} without a Location");
        }

        var shown = target.GetLeftPart(UriPartial.Path);
        if (status is not (301 or 302 or 307 or 308))
        {
            throw new OpenBaoRedirectException($"{what} to {shown}; only 301, 302, 307 and 308 are followed, with the method and body kept");
        }

        if (from.Scheme == Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttps)
        {
            throw new OpenBaoRedirectException($"{what} to {shown}; a redirect from https to another scheme is not followed, since the token would travel in clear");
        }

        if (connection.UnixSocketPath is not null
            && Uri.Compare(target, from, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            throw new OpenBaoRedirectException($"{what} to {shown}; over the Unix socket {connection.UnixSocketPath} another host cannot be reached");
        }

        return redirectsSoFar < OpenBaoClientSettings.MaxRedirects
            ? target
            : throw new OpenBaoRedirectException($"{what} more than {OpenBaoClientSettings.MaxRedirects} times; last to {shown}");
    }

    private async Task<byte[]> ReadBoundedAsync(OpenBaoRequest request, HttpContent content, CancellationToken cancellationToken)
    {
        var limit = settings.MaxResponseBytes;
        if (content.Headers.ContentLength > limit)
        {
            throw TooLarge(request, $"is {content.Headers.ContentLength} bytes, larger");
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            // OpenBao says how long its answers are: read straight into an array of that size, without chunks or copies.
            if (content.Headers.ContentLength is { } length)
            {
                var exact = new byte[length];
                await stream.ReadExactlyAsync(exact, cancellationToken).ConfigureAwait(false);
                return exact;
            }

            using var body = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > limit)
                {
                    throw TooLarge(request, "is larger");
                }

                body.Write(chunk, 0, read);
            }

            return body.ToArray();
        }
    }

    private OpenBaoResponseTooLargeException TooLarge(OpenBaoRequest request, string size) =>
        new($"OpenBao's answer to {request.Method.Method} {request.Path} {size} than the limit of {settings.MaxResponseBytes} bytes (-openbao-max-response-bytes), so it was not read");

    private HttpRequestMessage BuildMessage(OpenBaoRequest request, Uri uri, string? token)
    {
        var message = new HttpRequestMessage(request.Method, uri)
        {
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
        };
        message.Headers.Add("X-Vault-Request", "true");
        if (token is not null)
        {
            message.Headers.Add("X-Vault-Token", token);
        }

        if (!string.IsNullOrEmpty(connection.Namespace))
        {
            message.Headers.Add("X-Vault-Namespace", connection.Namespace);
        }

        if (request.JsonBody is not null)
        {
            message.Content = new StringContent(request.JsonBody, Encoding.UTF8);
            message.Content.Headers.ContentType = JsonMediaType;
        }

        return message;
    }

    private Uri BuildUri(OpenBaoRequest request)
    {
        // Nearly every path needs no escaping; splitting it costs more than the request's other setup.
        var path = request.Path.AsSpan().ContainsAnyExcept(UnreservedInPath)
            ? string.Join('/', request.Path.Split('/').Select(Uri.EscapeDataString))
            : request.Path;
        // Over a Unix socket (an OpenBao Agent listener) the URI only carries the path.
        var baseText = connection.UnixSocketPath is not null ? "http://localhost" : connection.Address.AbsoluteUri.TrimEnd('/');
        var query = string.IsNullOrEmpty(request.Query) ? string.Empty : "?" + request.Query;
        return new Uri($"{baseText}/v1/{path}{query}");
    }

    private static string DescribeTransportFailure(HttpRequestException ex) =>
        ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}".Trim() : ex.Message;
}
