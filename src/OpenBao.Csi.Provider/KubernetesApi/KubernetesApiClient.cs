using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Authentication;
using OpenBao.Csi.Provider.Internal;

namespace OpenBao.Csi.Provider.KubernetesApi;

/// <summary>
/// The provider's few Kubernetes API calls as typed requests, over the connection that KubernetesClient's
/// configuration loading describes (server, CA, client certificate, a bearer token that follows the
/// projected token file). Its generated client would serve the same calls but root serializer metadata
/// for every Kubernetes type: about 10 MiB of memory on every node, for five requests.
/// </summary>
internal sealed class KubernetesApiClient(HttpMessageInvoker http, Uri server, ServiceClientCredentials? credentials, TimeSpan requestTimeout, TimeProvider time)
{
    /// <summary>As client-go: an API server that says when to come back is asked again, up to this many times.</summary>
    private const int MaxRetries = 10;

    /// <summary>A longer Retry-After outlasts the request timeout: its answer goes to the caller instead.</summary>
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(10);

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public Uri Server => server;

    public static KubernetesApiClient From(KubernetesClientConfiguration configuration, TimeSpan requestTimeout, TimeProvider time)
    {
        var handler = new SocketsHttpHandler();
        var serverName = string.IsNullOrEmpty(configuration.TlsServerName) ? null : configuration.TlsServerName;

        if (configuration.SkipTlsVerify)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (configuration.SslCaCerts is { Count: > 0 } || serverName is not null)
        {
            var authorities = configuration.SslCaCerts;
            handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                IsTrustedServer(sender, certificate as X509Certificate2, chain, errors, authorities, serverName);
        }

        if (ClientCertificate(configuration) is { } clientCertificate)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        if (serverName is not null)
        {
            handler.ConnectCallback = ServerNameConnection.Callback(serverName, handler.SslOptions);
        }

        return new KubernetesApiClient(
            new HttpMessageInvoker(handler),
            new Uri(configuration.Host.TrimEnd('/') + "/"),
            k8s.Kubernetes.CreateCredentials(configuration),
            requestTimeout,
            time);
    }

    /// <summary>
    /// As client-go checks the API server: the certificate names the host (or the kubeconfig's <c>tls-server-name</c>),
    /// and chains to the kubeconfig's CA alone when it names one.
    /// KubernetesClient's own check ignores the name whenever the chain needs that CA, which in a pod is always.
    /// </summary>
    internal static bool IsTrustedServer(
        object sender, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection? authorities, string? serverName)
    {
        if (certificate is null || chain is null)
        {
            return false;
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            // Go matches DNS and IP subject alternative names only, never the Common Name.
            if (serverName is null || !certificate.MatchesHostname(serverName, allowWildcards: true, allowCommonName: false))
            {
                return false;
            }

            errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
        }

        // With the chain error set, KubernetesClient builds the chain against the kubeconfig's CA alone; without it,
        // it would take a certificate any system-trusted CA issued for the host, which client-go does not.
        return authorities is { Count: > 0 }
            ? k8s.Kubernetes.CertificateValidationCallBack(sender, authorities, certificate, chain, errors | SslPolicyErrors.RemoteCertificateChainErrors)
            : errors == SslPolicyErrors.None;
    }

    /// <summary>The kubeconfig's client certificate (inline base64 PEM or files), for API servers that authenticate by certificate.</summary>
    private static X509Certificate2? ClientCertificate(KubernetesClientConfiguration configuration)
    {
        var certificate = Pem(configuration.ClientCertificateData, configuration.ClientCertificateFilePath);
        var key = Pem(configuration.ClientCertificateKeyData, configuration.ClientKeyFilePath);
        if (certificate is null || key is null)
        {
            return null;
        }

        // SslStream on Linux needs the key in a PKCS#12 import rather than the ephemeral one a PEM import gives.
        using var fromPem = X509Certificate2.CreateFromPem(certificate, key);
        return X509CertificateLoader.LoadPkcs12(fromPem.Export(X509ContentType.Pkcs12), password: null);
    }

    private static string? Pem(string? base64, string? path) =>
        !string.IsNullOrEmpty(base64) ? Encoding.UTF8.GetString(Convert.FromBase64String(base64))
        : !string.IsNullOrEmpty(path) ? File.ReadAllText(path)
        : null;

    /// <exception cref="KubernetesApiException">The server answered with an error status.</exception>
    public Task<TResult> SendAsync<TResult>(HttpMethod method, string path, JsonTypeInfo<TResult> result, CancellationToken cancellationToken) =>
        ExchangeAsync(() => new HttpRequestMessage(method, new Uri(server, path)), result, cancellationToken);

    /// <exception cref="KubernetesApiException">The server answered with an error status.</exception>
    public Task<TResult> SendAsync<TBody, TResult>(
        HttpMethod method, string path, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TResult> result, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, bodyType);
        return ExchangeAsync(
            () => new HttpRequestMessage(method, new Uri(server, path)) { Content = new ByteArrayContent(bytes) { Headers = { ContentType = Json } } },
            result,
            cancellationToken);
    }

    /// <summary>A PATCH whose body is given as JSON text, in the patch type the content type names.</summary>
    /// <exception cref="KubernetesApiException">The server answered with an error status.</exception>
    public async Task PatchAsync(string path, string patch, string contentType, CancellationToken cancellationToken)
    {
        HttpRequestMessage Build()
        {
            var request = new HttpRequestMessage(HttpMethod.Patch, new Uri(server, path)) { Content = new StringContent(patch, Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            return request;
        }

        using var timeout = TimeoutFrom(cancellationToken);
        using var response = await SendAuthenticatedAsync(Build, timeout.Token).ConfigureAwait(false);
        await ThrowUnlessSuccessAsync(response, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Opens a watch: the caller reads the event stream until the server ends it, so no request timeout applies.</summary>
    /// <exception cref="KubernetesApiException">The server refused the watch.</exception>
    public async Task<HttpResponseMessage> WatchAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        var response = await SendAuthenticatedAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(server, pathAndQuery)), cancellationToken).ConfigureAwait(false);
        try
        {
            await ThrowUnlessSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<TResult> ExchangeAsync<TResult>(Func<HttpRequestMessage> build, JsonTypeInfo<TResult> result, CancellationToken cancellationToken)
    {
        using var timeout = TimeoutFrom(cancellationToken);
        using var response = await SendAuthenticatedAsync(build, timeout.Token).ConfigureAwait(false);
        await ThrowUnlessSuccessAsync(response, timeout.Token).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync(stream, result, timeout.Token).ConfigureAwait(false)
                ?? throw new KubernetesApiException((int)response.StatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} answered with an empty body");
        }
    }

    /// <summary>
    /// Sends a request built afresh for every attempt. A 429 from API Priority and Fairness, or a 5xx from a
    /// server shutting down or timing out on storage, comes with Retry-After and is asked again then, as
    /// client-go does, within the caller's time. A create may have been stored before a 5xx: callers take
    /// the 409 that its retry gets.
    /// </summary>
    private async Task<HttpResponseMessage> SendAuthenticatedAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = build();
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (credentials is not null)
            {
                await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
            }

            var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (attempt > MaxRetries || RetryAfter(response) is not { } wait)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode < 500)
        {
            return null;
        }

        var retryAfter = response.Headers.RetryAfter;
        var wait = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - time.GetUtcNow() : null);
        return wait is { } some && some <= MaxRetryAfter ? TimeSpan.FromTicks(Math.Max(some.Ticks, 0)) : null;
    }

    private static async Task ThrowUnlessSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var (message, reason, causes) = KubernetesStatusMessage.Read(body);
        throw new KubernetesApiException((int)response.StatusCode, message ?? $"HTTP {(int)response.StatusCode}", causes, reason);
    }

    private CancellationTokenSource TimeoutFrom(CancellationToken cancellationToken)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(requestTimeout);
        return timeout;
    }
}
