using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>
/// A thin typed client for the few OpenBao endpoints the provider uses. It is cheap to create:
/// the pooled handler behind it belongs to <see cref="OpenBaoClientFactory"/>.
/// </summary>
internal sealed class OpenBaoClient(HttpMessageInvoker invoker, OpenBaoConnection connection, TimeSpan requestTimeout)
{
    private const int MaxRetries = 2;

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    public OpenBaoConnection Connection => connection;

    public async Task<OpenBaoToken> LoginAsync(string authMount, string role, string jwt, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new LoginRequest(role, jwt), OpenBaoJsonContext.Default.LoginRequest);
        var request = new OpenBaoRequest(HttpMethod.Post, $"auth/{authMount}/login", JsonBody: body);
        var obtainedAt = time.GetUtcNow();
        using var document = await SendCoreAsync(request, token: null, cancellationToken).ConfigureAwait(false);
        var response = document.Deserialize(OpenBaoJsonContext.Default.LoginResponse);
        if (response?.Auth is not { ClientToken.Length: > 0 } auth)
        {
            throw new OpenBaoException(200, ["login answer carried no auth.client_token"], "POST", request.Path);
        }

        return new OpenBaoToken(auth.ClientToken, obtainedAt, TimeSpan.FromSeconds(auth.LeaseDuration), auth.Renewable);
    }

    /// <summary>Sends one request with a client token and returns the whole response envelope.</summary>
    public async Task<JsonElement> SendAsync(OpenBaoRequest request, string token, CancellationToken cancellationToken)
    {
        using var document = await SendCoreAsync(request, token, cancellationToken).ConfigureAwait(false);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Retries a failed connection or a transient status (standby, rate limit, failover) twice with
    /// a short backoff, as OpenBao's own client does; a timeout or any other answer is final.
    /// </summary>
    private async Task<JsonDocument> SendCoreAsync(OpenBaoRequest request, string? token, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SendOnceAsync(request, token, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt <= MaxRetries && IsTransient(ex))
            {
                var backoff = TimeSpan.FromMilliseconds((100 << attempt) + Random.Shared.Next(50));
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsTransient(Exception exception) => exception switch
    {
        OpenBaoException { StatusCode: 412 or 429 or 500 or 502 or 503 or 504 } => true,
        OpenBaoUnavailableException { InnerException: HttpRequestException } => true,
        _ => false,
    };

    private async Task<JsonDocument> SendOnceAsync(OpenBaoRequest request, string? token, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(requestTimeout);
        using var message = BuildMessage(request, token);
        try
        {
            using var response = await invoker.SendAsync(message, timeout.Token).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                return bytes.Length == 0 ? JsonDocument.Parse("null") : JsonDocument.Parse(bytes);
            }

            throw new OpenBaoException(status, OpenBaoErrorReader.Read(status, bytes), request.Method.Method, request.Path);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OpenBaoUnavailableException(
                $"OpenBao at {connection.Address} did not answer {request.Method.Method} {request.Path} within {requestTimeout.TotalSeconds:0.#}s");
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
    }

    private HttpRequestMessage BuildMessage(OpenBaoRequest request, string? token)
    {
        var message = new HttpRequestMessage(request.Method, BuildUri(request))
        {
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
        };
        message.Headers.Add("X-Vault-Request", "true");
        if (connection.Tls.ServerName is { Length: > 0 } serverName && connection.Address.Scheme == Uri.UriSchemeHttps)
        {
            // SocketsHttpHandler takes the TLS server name (SNI) from the Host header and ignores SslOptions.TargetHost.
            message.Headers.Host = serverName;
        }

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
        var path = string.Join('/', request.Path.Split('/').Select(Uri.EscapeDataString));
        // Over a Unix socket (an OpenBao Agent listener) the URI only carries the path.
        var baseText = connection.UnixSocketPath is not null ? "http://localhost" : connection.Address.AbsoluteUri.TrimEnd('/');
        var query = string.IsNullOrEmpty(request.Query) ? string.Empty : "?" + request.Query;
        return new Uri($"{baseText}/v1/{path}{query}");
    }

    private static string DescribeTransportFailure(HttpRequestException ex) =>
        ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}".Trim() : ex.Message;
}
