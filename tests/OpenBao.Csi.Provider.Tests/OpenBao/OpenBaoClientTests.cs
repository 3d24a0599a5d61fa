using System.Net;
using System.Text;
using OpenBao.Csi.Provider.OpenBao;
using OpenBao.Csi.Provider.Testing;

namespace OpenBao.Csi.Provider.Tests.OpenBao;

/// <summary>Where the token may go and how much of an answer is read, against a scripted HTTP handler.</summary>
public sealed class OpenBaoClientTests
{
    private const string Token = "s.redirect-test-token";

    private static readonly OpenBaoRequest Read = new(HttpMethod.Get, "secret/data/app");

    private static OpenBaoClient Client(ScriptedHandler handler, string address = "https://bao-0.example:8200", long maxResponseBytes = 1024, TimeProvider? time = null) =>
        new(new HttpMessageInvoker(handler), new OpenBaoConnection(new Uri(address), null, new OpenBaoTlsSettings()),
            new OpenBaoClientSettings(TimeSpan.FromSeconds(5), maxResponseBytes), TestMetrics.Unobserved, time ?? TimeProvider.System);

    private static HttpResponseMessage Redirect(HttpStatusCode status, string location)
    {
        var response = new HttpResponseMessage(status);
        response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
        return response;
    }

    private static HttpResponseMessage Json(string json) => new(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    [Fact]
    public async Task Send_ServiceUnavailable_AskedAgainOnlyOnceTheBackoffHasPassedOnTheProvidersClock()
    {
        var clock = new WatchedClock(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));
        var handler = new ScriptedHandler(
            _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("""{"errors":["Vault is sealed"]}""") },
            _ => Json("""{"data":{"data":{"k":"v"}}}"""));

        var sending = Client(handler, time: clock).SendAsync(Read, Token, CancellationToken.None);
        Assert.True(await clock.TimerCreated.WaitAsync(TimeSpan.FromSeconds(10)), "the retry did not wait on the provider's clock");
        Assert.Single(handler.Seen);
        // The first backoff is 200 ms plus up to 50 ms of jitter.
        clock.Advance(TimeSpan.FromMilliseconds(250));
        var response = await sending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("v", response.GetProperty("data").GetProperty("data").GetProperty("k").GetString());
        Assert.Equal(2, handler.Seen.Count);
    }

    /// <summary>A rate-limit quota counts per second or longer: retries 200 ms apart would all land in the same window.</summary>
    [Theory]
    [InlineData(null, 1000, 1500)]
    [InlineData("0", 1000, 1500)]
    [InlineData("2", 2000, 2000)]
    public async Task Send_RateLimited_WaitsAsOpenBaosClientDoesOrAsAsked(string? retryAfter, int atLeastMs, int atMostMs)
    {
        var clock = new WatchedClock(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));
        var handler = new ScriptedHandler(
            _ =>
            {
                var limited = new HttpResponseMessage(HttpStatusCode.TooManyRequests)
                {
                    Content = new StringContent("""{"errors":["request path \"secret/data/app\": rate limit quota exceeded"]}"""),
                };
                if (retryAfter is not null)
                {
                    limited.Headers.Add("Retry-After", retryAfter);
                }

                return limited;
            },
            _ => Json("""{"data":{"data":{"k":"v"}}}"""));

        var sending = Client(handler, time: clock).SendAsync(Read, Token, CancellationToken.None);
        Assert.True(await clock.TimerCreated.WaitAsync(TimeSpan.FromSeconds(10)), "the retry did not wait on the provider's clock");
        clock.Advance(TimeSpan.FromMilliseconds(atMostMs));
        await sending.WaitAsync(TimeSpan.FromSeconds(10));

        var backoff = Assert.Single(clock.DueTimes);
        Assert.InRange(backoff, TimeSpan.FromMilliseconds(atLeastMs), TimeSpan.FromMilliseconds(atMostMs));
        Assert.Equal(2, handler.Seen.Count);
    }

    [Fact]
    public async Task Send_RateLimitedForLongerThanAMountShouldWait_NotRetried()
    {
        var handler = new ScriptedHandler(_ =>
        {
            var limited = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent("""{"errors":["rate limit quota exceeded"]}""") };
            limited.Headers.Add("Retry-After", "60");
            return limited;
        });

        var error = await Assert.ThrowsAsync<OpenBaoException>(() => Client(handler).SendAsync(Read, Token, CancellationToken.None));

        Assert.Equal(429, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), error.RetryAfter);
        Assert.Single(handler.Seen);
    }

    /// <summary>A standby that cannot forward names the active node's api_addr; OpenBao's Go client goes there with the same request.</summary>
    [Theory]
    [InlineData(307, "https://bao-0.example:8200/v1/secret/data/app?from=standby")]
    [InlineData(308, "https://bao-0.example:8200/v1/secret/data/app?from=standby")]
    [InlineData(307, "https://bao-1.example:8200/v1/secret/data/app")]
    [InlineData(301, "https://bao-1.example:9200/v1/secret/data/app")]
    [InlineData(302, "https://10.0.0.7:8200/v1/secret/data/app")]
    public async Task Send_Redirect_FollowedWithTheTokenAsOpenBaosClientDoes(int status, string location)
    {
        var handler = new ScriptedHandler(
            _ => Redirect((HttpStatusCode)status, location),
            _ => Json("""{"data":{"data":{"k":"v"}}}"""));

        var response = await Client(handler).SendAsync(Read, Token, CancellationToken.None);

        Assert.Equal("v", response.GetProperty("data").GetProperty("data").GetProperty("k").GetString());
        Assert.Equal(["https://bao-0.example:8200/v1/secret/data/app", location], handler.Seen.Select(r => r.Uri));
        Assert.All(handler.Seen, r => Assert.Equal(Token, r.Token));
    }

    [Theory]
    [InlineData("https://bao-0.example:8200", 308, "http://bao-0.example:8200/v1/secret/data/app", "from https to another scheme is not followed")]
    [InlineData("https://bao-0.example:8200", 307, "http://bao-1.example:8200/v1/secret/data/app", "from https to another scheme is not followed")]
    [InlineData("https://bao-0.example:8200", 303, "https://bao-0.example:8200/elsewhere", "only 301, 302, 307 and 308")]
    [InlineData("unix:///run/openbao/agent.sock", 307, "https://bao-1.example:8200/v1/secret/data/app", "over the Unix socket /run/openbao/agent.sock another host cannot be reached")]
    public async Task Send_RedirectThatCannotBeFollowed_NotFollowedAndNamed(string address, int status, string location, string reason)
    {
        var handler = new ScriptedHandler(_ => Redirect((HttpStatusCode)status, location));

        var error = await Assert.ThrowsAsync<OpenBaoRedirectException>(() => Client(handler, address).SendAsync(Read, Token, CancellationToken.None));

        Assert.Single(handler.Seen);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains(new Uri(location).GetLeftPart(UriPartial.Path), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_RedirectLoop_StopsAfterTheBound()
    {
        var handler = new ScriptedHandler(_ => Redirect(HttpStatusCode.TemporaryRedirect, "/v1/secret/data/app"));

        var error = await Assert.ThrowsAsync<OpenBaoRedirectException>(() => Client(handler).SendAsync(Read, Token, CancellationToken.None));

        Assert.Equal(OpenBaoClientSettings.MaxRedirects + 1, handler.Seen.Count);
        Assert.Contains("more than 3 times", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_DeclaredLengthAboveLimit_RefusedWithoutReading()
    {
        var body = new CountingStream(long.MaxValue);
        var handler = new ScriptedHandler(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body) };
            response.Content.Headers.ContentLength = 1L << 30;
            return response;
        });

        var error = await Assert.ThrowsAsync<OpenBaoResponseTooLargeException>(() => Client(handler).SendAsync(Read, Token, CancellationToken.None));

        Assert.Equal(0, body.Served);
        Assert.Contains("1073741824 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("limit of 1024 bytes (-openbao-max-response-bytes)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_EndlessBodyWithoutLength_StopsReadingAtTheLimit()
    {
        var body = new CountingStream(long.MaxValue);
        var handler = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body) });

        await Assert.ThrowsAsync<OpenBaoResponseTooLargeException>(() => Client(handler).SendAsync(Read, Token, CancellationToken.None));

        Assert.InRange(body.Served, 1025, 1024 + (16 * 1024));
    }

    [Fact]
    public async Task Send_OversizedErrorBody_AlsoRefused()
    {
        var handler = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent(new string('x', 4096)) });

        await Assert.ThrowsAsync<OpenBaoResponseTooLargeException>(() => Client(handler).SendAsync(Read, Token, CancellationToken.None));
    }

    private sealed class ScriptedHandler(params Func<HttpRequestMessage, HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        public List<(string Uri, string? Token)> Seen { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Add((request.RequestUri!.ToString(), request.Headers.TryGetValues("X-Vault-Token", out var values) ? values.Single() : null));
            return Task.FromResult(answers[Math.Min(Seen.Count - 1, answers.Length - 1)](request));
        }
    }

    /// <summary>A body that never ends on its own, counting what was read from it.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        public long Served { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => Served; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - Served);
            buffer.AsSpan(offset, n).Fill((byte)' ');
            Served += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
