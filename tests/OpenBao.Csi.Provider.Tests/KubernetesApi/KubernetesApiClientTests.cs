using System.Net;
using System.Net.Http.Headers;
using OpenBao.Csi.Provider.KubernetesApi;
using OpenBao.Csi.Provider.Testing;

namespace OpenBao.Csi.Provider.Tests.KubernetesApi;

/// <summary>How long the client waits on an API server's Retry-After, and how often, against a scripted handler.</summary>
public sealed class KubernetesApiClientTests
{
    private const string SecretPath = "api/v1/namespaces/csi/secrets/key";
    private const string SecretJson = """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"key","namespace":"csi"}}""";

    private readonly WatchedClock _clock = new(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));

    private static HttpResponseMessage TooManyRequests(TimeSpan retryAfter) => new(HttpStatusCode.TooManyRequests)
    {
        Content = new StringContent("Too many requests, please try again later.\n"),
        Headers = { RetryAfter = new RetryConditionHeaderValue(retryAfter) },
    };

    private static HttpResponseMessage Secret() => new(HttpStatusCode.OK) { Content = new StringContent(SecretJson) };

    private KubernetesApiClient Client(ScriptedHandler handler) =>
        new(new HttpMessageInvoker(handler), new Uri("https://127.0.0.1:6443/"), credentials: null, TimeSpan.FromSeconds(30), _clock);

    [Fact]
    public async Task RetryAfterOfTenSeconds_WaitedOnTheClockThenAskedAgain()
    {
        var handler = new ScriptedHandler(() => TooManyRequests(TimeSpan.FromSeconds(10)), Secret);

        var reading = Client(handler).SendAsync(HttpMethod.Get, SecretPath, KubernetesJsonContext.Default.Secret, CancellationToken.None);
        Assert.True(await _clock.TimerCreated.WaitAsync(TimeSpan.FromSeconds(10)), "the client did not wait on its clock");
        Assert.Equal(1, handler.Requests);
        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("key", (await reading.WaitAsync(TimeSpan.FromSeconds(10))).Metadata?.Name);
        Assert.Equal(2, handler.Requests);
    }

    [Fact]
    public async Task RetryAfterLongerThanTenSeconds_TheAnswerGoesToTheCaller()
    {
        var handler = new ScriptedHandler(() => TooManyRequests(TimeSpan.FromSeconds(11)), Secret);

        var refused = await Assert.ThrowsAsync<KubernetesApiException>(() =>
            Client(handler).SendAsync(HttpMethod.Get, SecretPath, KubernetesJsonContext.Default.Secret, CancellationToken.None));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public async Task RefusedEveryTime_AskedElevenTimesInAll_ThenTheAnswerGoesToTheCaller()
    {
        var handler = new ScriptedHandler(() => TooManyRequests(TimeSpan.Zero));

        var refused = await Assert.ThrowsAsync<KubernetesApiException>(() =>
            Client(handler).SendAsync(HttpMethod.Get, SecretPath, KubernetesJsonContext.Default.Secret, CancellationToken.None));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(11, handler.Requests);
    }

    /// <summary>Answers in order, repeating the last; each built afresh, as the client disposes what it does not return.</summary>
    private sealed class ScriptedHandler(params Func<HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answers[Math.Min(Requests++, answers.Length - 1)]());
    }
}
