using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Kubernetes.Emulator.Tests;

public sealed class RequestRefusalTests
{
    private const string TooManyRequestsBody = "Too many requests, please try again later.\n";

    // The JSON encoder ends the Status with a newline and Fprintln adds a second.
    private const string ShuttingDownBody =
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"apiserver is shutting down","reason":"ServiceUnavailable","code":503}""" + "\n\n";

    private const string Secrets = "/api/v1/namespaces/shop/secrets";

    private static readonly string SecretBody = new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = "synced" },
        ["data"] = new JsonObject { ["k"] = "AQ==" },
    }.ToJsonString();

    [Fact]
    public async Task TooManyRequests_NextRequestsOnAnyEndpoint_Get429WithRetryAfterAndThePlainText_ThenOneIsServed()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddServiceAccount("shop", "app");
        using var http = ApiHttp.Create(api);
        api.RefuseNextRequests(4, RequestRefusal.TooManyRequests);

        using var secret = await SendAsync(http, HttpMethod.Post, Secrets, SecretBody);
        using var token = await SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/shop/serviceaccounts/app/token", """{"spec":{}}""");
        using var events = await SendAsync(http, HttpMethod.Get, "/api/v1/namespaces/shop/events");
        using var watch = await SendAsync(http, HttpMethod.Get, "/api/v1/pods?watch=true");
        Assert.Null(api.GetSecret("shop", "synced"));
        using var served = await SendAsync(http, HttpMethod.Post, Secrets, SecretBody);

        foreach (var refused in new[] { secret, token, events, watch })
        {
            await AssertRefusedAsync(refused, HttpStatusCode.TooManyRequests, "text/plain; charset=utf-8", TooManyRequestsBody);
        }

        Assert.Equal(HttpStatusCode.Created, served.StatusCode);
        Assert.Empty(api.TokenRequests);
        Assert.Equal(0, api.OpenWatchCount);
        Assert.Equal(2, api.CountRequests("POST", Secrets));
    }

    [Fact]
    public async Task ShuttingDown_NextRequests_Get503WithRetryAfterAndTheServiceUnavailableStatus_ThenOneIsServed()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        using var http = ApiHttp.Create(api);
        api.RefuseNextRequests(2, RequestRefusal.ShuttingDown);

        using var first = await SendAsync(http, HttpMethod.Post, Secrets, SecretBody);
        using var second = await SendAsync(http, HttpMethod.Get, "/api/v1/pods");
        Assert.Null(api.GetSecret("shop", "synced"));
        using var served = await SendAsync(http, HttpMethod.Post, Secrets, SecretBody);

        foreach (var refused in new[] { first, second })
        {
            await AssertRefusedAsync(refused, HttpStatusCode.ServiceUnavailable, "application/json", ShuttingDownBody);
        }

        Assert.Equal(HttpStatusCode.Created, served.StatusCode);
    }

    [Fact]
    public async Task RefuseNextRequests_WithAPathPrefix_CountsOnlyTheRequestsUnderIt()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        api.RefuseNextRequests(1, RequestRefusal.ShuttingDown, "/api/v1/namespaces/shop/events");

        using var pods = await SendAsync(http, HttpMethod.Get, "/api/v1/pods");
        using var elsewhere = await SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/bank/events", EventHttp.LegacyPodEvent("web.1", "bank").ToJsonString());
        using var refused = await SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/shop/events", EventHttp.LegacyPodEvent("web.1").ToJsonString());
        Assert.Null(api.GetEvent("shop", "web.1"));
        using var served = await SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/shop/events", EventHttp.LegacyPodEvent("web.1").ToJsonString());

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable, HttpStatusCode.Created],
            new[] { pods, elsewhere, refused, served }.Select(r => r.StatusCode));
        Assert.Equal(2, api.CountEventRequests("create", "shop"));
    }

    [Fact]
    public async Task ShuttingDown_ComesBeforeAuthentication_AndTooManyRequestsAfterIt()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = api.Address };
        using var http = ApiHttp.Create(api);
        api.RefuseNextRequests(1, RequestRefusal.ShuttingDown);
        api.RefuseNextRequests(1, RequestRefusal.TooManyRequests);

        using var shuttingDown = await SendAsync(anonymous, HttpMethod.Get, "/api/v1/pods");
        using var unauthorized = await SendAsync(anonymous, HttpMethod.Get, "/api/v1/pods");
        using var throttled = await SendAsync(http, HttpMethod.Get, "/api/v1/pods");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, shuttingDown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
    }

    [Fact]
    public async Task RefuseNextRequests_BeforeAuthorization_RefusesEvenWhatRbacWouldDeny()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        using var http = ApiHttp.Create(api);
        api.Deny("create", "secrets");
        api.RefuseNextRequests(1, RequestRefusal.TooManyRequests);

        using var throttled = await SendAsync(http, HttpMethod.Post, Secrets, SecretBody);
        using var denied = await SendAsync(http, HttpMethod.Post, Secrets, SecretBody);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task RefuseNextRequests_NegativeCount_Throws()
    {
        await using var api = await FakeKubernetesApi.StartAsync();

        Assert.Throws<ArgumentOutOfRangeException>(() => api.RefuseNextRequests(-1, RequestRefusal.TooManyRequests));
        Assert.Throws<ArgumentOutOfRangeException>(() => api.RefuseNextRequests(1, (RequestRefusal)7));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        return await http.SendAsync(request);
    }

    /// <summary>A refusal as the real filter writes it: the status, Retry-After 1, its content type and body, nosniff.</summary>
    private static async Task AssertRefusedAsync(HttpResponseMessage refused, HttpStatusCode status, string contentType, string body)
    {
        Assert.Equal(status, refused.StatusCode);
        Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
        Assert.Equal(contentType, refused.Content.Headers.ContentType?.ToString());
        Assert.Equal("nosniff", Assert.Single(refused.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(body, await refused.Content.ReadAsStringAsync());
    }
}
