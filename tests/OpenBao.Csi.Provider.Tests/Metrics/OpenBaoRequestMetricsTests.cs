using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using OpenBao.Csi.Provider.Metrics;
using OpenBao.Csi.Provider.OpenBao;

namespace OpenBao.Csi.Provider.Tests.Metrics;

/// <summary>Each answer OpenBao gives is counted under its operation and status, never under its path.</summary>
public sealed class OpenBaoRequestMetricsTests : IDisposable
{
    private readonly TestMetrics _meters = new();
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, string Operation, string? Status)> _seen = [];

    public OpenBaoRequestMetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == _meters)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, count, tags, _) => Record(instrument, count, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument, 1, tags));
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public async Task Requests_LoginReadAndRefusal_CountedByOperationAndStatus()
    {
        var client = Client(request => request.RequestUri!.AbsolutePath switch
        {
            "/v1/auth/kubernetes/login" => Json(HttpStatusCode.OK, """{"auth":{"client_token":"s.t","lease_duration":60,"renewable":true}}"""),
            "/v1/secret/data/shop/db" => Json(HttpStatusCode.OK, """{"data":{"data":{"k":"v"}}}"""),
            _ => Json(HttpStatusCode.Forbidden, """{"errors":["permission denied"]}"""),
        });

        await client.LoginAsync("kubernetes", "app", "header.payload.signature", CancellationToken.None);
        await client.SendAsync(new OpenBaoRequest(HttpMethod.Get, "secret/data/shop/db"), "s.t", CancellationToken.None);
        await Assert.ThrowsAsync<OpenBaoException>(() => client.SendAsync(new OpenBaoRequest(new HttpMethod("LIST"), "secret/metadata/shop/"), "s.t", CancellationToken.None));

        // Counts are read when the exporter scrapes, as it would now.
        _listener.RecordObservableInstruments();
        Assert.Equal(
            [("openbao_csi.openbao.requests", "list", "403"), ("openbao_csi.openbao.requests", "login", "200"), ("openbao_csi.openbao.requests", "read", "200")],
            _seen.Where(m => m.Instrument == "openbao_csi.openbao.requests").Order());
        Assert.Equal(["login", "read", "list"], _seen.Where(m => m.Instrument == "openbao_csi.openbao.request.duration").Select(m => m.Operation));
    }

    [Fact]
    public void Durations_WaitForTheMountsAnswerOrACollection_AndNoneIsLost()
    {
        var metrics = new ProviderMetrics(_meters);

        metrics.OpenBaoRequest(OpenBaoOperation.Read, 200, TimeSpan.FromMilliseconds(3));
        metrics.StartMount(rotationPoll: true).Finish(global::Grpc.Core.StatusCode.OK);
        Assert.DoesNotContain(_seen, m => m.Instrument.EndsWith(".duration", StringComparison.Ordinal));

        metrics.RecordPendingDurations();
        Assert.Equal(["openbao_csi.openbao.request.duration", "openbao_csi.mount.duration"], _seen.Select(m => m.Instrument));

        metrics.OpenBaoRequest(OpenBaoOperation.Login, StatusLabels.Timeout, TimeSpan.FromSeconds(5));
        _listener.RecordObservableInstruments();
        Assert.Contains(("openbao_csi.openbao.request.duration", "login", null), _seen);
    }

    [Fact]
    public void Durations_OfAQuietNode_RecordedOnceTooManyWait()
    {
        var metrics = new ProviderMetrics(_meters);

        // Renewals with neither mounts nor scrapes: the waiting durations stay bounded.
        for (var i = 0; i < 2000; i++)
        {
            metrics.OpenBaoRequest(OpenBaoOperation.RenewLease, 200, TimeSpan.FromMilliseconds(1));
        }

        Assert.InRange(_seen.Count(m => m.Instrument == "openbao_csi.openbao.request.duration"), 1024, 2000);
    }

    /// <param name="count">How many times the series was counted: each is recorded once per count.</param>
    private void Record(Instrument instrument, long count, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? operation = null, status = null;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case "operation":
                    operation = (string?)tag.Value;
                    break;
                case "status":
                    status = (string?)tag.Value;
                    break;
            }
        }

        lock (_seen)
        {
            for (var i = 0; i < count; i++)
            {
                _seen.Add((instrument.Name, operation ?? "", status));
            }
        }
    }

    private OpenBaoClient Client(Func<HttpRequestMessage, HttpResponseMessage> answer) =>
        new(new HttpMessageInvoker(new Answering(answer)), new OpenBaoConnection(new Uri("https://bao:8200"), null, new OpenBaoTlsSettings()),
            new OpenBaoClientSettings(TimeSpan.FromSeconds(5)), new ProviderMetrics(_meters), TimeProvider.System);

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private sealed class Answering(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }
}
