using System.Diagnostics.Metrics;
using OpenBao.Csi.Provider.Grpc;
using OpenBao.Csi.Provider.OpenBao;
using OpenBao.Csi.Provider.RotationEvents;
using GrpcStatusCode = Grpc.Core.StatusCode;

namespace OpenBao.Csi.Provider.Metrics;

/// <summary>
/// The provider's instruments. Every label value comes from a small closed set (a gRPC code, an HTTP
/// status, an operation name): pods, paths and tokens would make a series per secret and leak what
/// the secrets are.
/// </summary>
internal sealed class ProviderMetrics
{
    public const string MeterName = "OpenBao.Csi.Provider";

    // Seconds, from a loopback read to a mount that spends the kubelet's whole budget.
    private static readonly IReadOnlyList<double> DurationBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    // gRPC numbers its codes 0 to 16 without gaps.
    private static readonly string[] CodeLabels = [.. Enum.GetValues<GrpcStatusCode>().Order().Select(code => code.ToString())];

    private readonly Counter<long> _mounts;
    private readonly Histogram<double> _mountDuration;
    private readonly UpDownCounter<long> _mountsInFlight;
    private readonly Counter<long> _openBaoRequests;
    private readonly Histogram<double> _openBaoDuration;
    private readonly Counter<long> _tokenLookups;
    private readonly Counter<long> _leaseLookups;
    private readonly Counter<long> _leases;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _rotationFailures;
    private readonly Counter<long> _events;
    private readonly Counter<long> _podWatchInterruptions;
    private readonly Meter _meter;

    public ProviderMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName, ProviderVersion.Current);
        var seconds = new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets };
        _mounts = _meter.CreateCounter<long>("openbao_csi.mounts", "{mount}", "Mount calls answered, by gRPC code and by whether the driver was polling for rotation.");
        _mountDuration = _meter.CreateHistogram("openbao_csi.mount.duration", "s", "Time to answer a Mount call.", advice: seconds);
        _mountsInFlight = _meter.CreateUpDownCounter<long>("openbao_csi.mounts.in_flight", "{mount}", "Mount calls being answered now.");
        _openBaoRequests = _meter.CreateCounter<long>("openbao_csi.openbao.requests", "{request}", "HTTP requests sent to OpenBao, by operation and status (or transport_error, timeout).");
        _openBaoDuration = _meter.CreateHistogram("openbao_csi.openbao.request.duration", "s", "Time OpenBao took to answer one request.", advice: seconds);
        _tokenLookups = _meter.CreateCounter<long>("openbao_csi.token_cache.lookups", "{lookup}", "Token cache lookups by a mount: hit (no login) or miss.");
        _leaseLookups = _meter.CreateCounter<long>("openbao_csi.lease_cache.lookups", "{lookup}", "Kept-secret lookups by a poll: hit (served again) or miss (read from OpenBao).");
        _leases = _meter.CreateCounter<long>("openbao_csi.leases", "{lease}", "Kept dynamic secrets renewed, re-issued (a new credential replaced one) or revoked with their token.");
        _tokens = _meter.CreateCounter<long>("openbao_csi.tokens", "{token}", "OpenBao tokens logged in, renewed or revoked.");
        _rotationFailures = _meter.CreateCounter<long>("openbao_csi.rotation.failures", "{poll}", "Rotation polls that failed, by gRPC code; the driver hides these from the pod.");
        _events = _meter.CreateCounter<long>("openbao_csi.kubernetes.events", "{event}", "Kubernetes Events about rotation, by reason and result (created, aggregated, failed).");
        _podWatchInterruptions = _meter.CreateCounter<long>(
            "openbao_csi.pod_watch.interruptions", "{interruption}", "Ends of the node's pod watch other than the server's own, by reason (silent, expired, failed) and what followed (resume, list).");
    }

    /// <summary>Publishes a size read at scrape time, so nothing has to be kept in step.</summary>
    public void ObserveSize(string name, string unit, string description, Func<int> read) =>
        _meter.CreateObservableGauge(name, read, unit, description);

    public MountMeasurement StartMount(bool rotationPoll)
    {
        _mountsInFlight.Add(1);
        return new MountMeasurement(this, rotationPoll, TimeProvider.System.GetTimestamp());
    }

    public void OpenBaoRequest(OpenBaoOperation operation, string status, TimeSpan elapsed)
    {
        var name = operation.Label();
        _openBaoRequests.Add(1, new("operation", name), new("status", status));
        _openBaoDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("operation", name));
    }

    public void TokenLookup(bool hit) => _tokenLookups.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    public void LeaseLookup(bool hit) => _leaseLookups.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    public void Lease(LeaseOutcome outcome, int count = 1)
    {
        if (count > 0)
        {
            _leases.Add(count, new KeyValuePair<string, object?>("outcome", outcome.Label()));
        }
    }

    public void Token(TokenOutcome outcome) => _tokens.Add(1, new KeyValuePair<string, object?>("outcome", outcome.Label()));

    public void KubernetesEvent(string reason, EventResult result) =>
        _events.Add(1, new("reason", reason), new("result", result.Label()));

    public void PodWatchInterrupted(PodWatchInterruption reason, bool relist) =>
        _podWatchInterruptions.Add(1, new("reason", reason.Label()), new("next", relist ? "list" : "resume"));

    /// <summary>
    /// Puts every counter series of a known label set at 0 once the exporter listens. Prometheus takes a series that
    /// first appears at 1 for no increase, so without this the first rotation failure of each code (or the first
    /// re-issued lease, the first failed watch) would never fire an alert built on increase() or rate().
    /// </summary>
    public void StartSeriesAtZero()
    {
        foreach (var code in Enum.GetValues<GrpcStatusCode>())
        {
            var result = Label(code);
            _mounts.Add(0, new("result", result), new("poll", "mount"));
            _mounts.Add(0, new("result", result), new("poll", "rotation"));
            if (code != GrpcStatusCode.OK)
            {
                _rotationFailures.Add(0, new KeyValuePair<string, object?>("result", result));
            }
        }

        foreach (var outcome in Enum.GetValues<LeaseOutcome>())
        {
            _leases.Add(0, new KeyValuePair<string, object?>("outcome", outcome.Label()));
        }

        foreach (var outcome in Enum.GetValues<TokenOutcome>())
        {
            _tokens.Add(0, new KeyValuePair<string, object?>("outcome", outcome.Label()));
        }

        foreach (var result in (string[])["hit", "miss"])
        {
            _tokenLookups.Add(0, new KeyValuePair<string, object?>("result", result));
            _leaseLookups.Add(0, new KeyValuePair<string, object?>("result", result));
        }

        foreach (var reason in (string[])[RotationEventRecorder.FailedReason, RotationEventRecorder.RecoveredReason])
        {
            foreach (var result in Enum.GetValues<EventResult>())
            {
                _events.Add(0, new("reason", reason), new("result", result.Label()));
            }
        }

        foreach (var reason in Enum.GetValues<PodWatchInterruption>())
        {
            _podWatchInterruptions.Add(0, new("reason", reason.Label()), new("next", "resume"));
            _podWatchInterruptions.Add(0, new("reason", reason.Label()), new("next", "list"));
        }
    }

    /// <summary>One Mount call, from arrival to its answer.</summary>
    /// <summary>A gRPC code's name, looked up: an enum's name is found by reflection in a NativeAOT binary, on every mount.</summary>
    private static string Label(GrpcStatusCode code) => (uint)code < (uint)CodeLabels.Length ? CodeLabels[(int)code] : code.ToString();

    internal readonly struct MountMeasurement(ProviderMetrics metrics, bool rotationPoll, long started)
    {
        public void Finish(GrpcStatusCode code)
        {
            var result = Label(code);
            var poll = rotationPoll ? "rotation" : "mount";
            metrics._mountsInFlight.Add(-1);
            metrics._mounts.Add(1, new("result", result), new("poll", poll));
            metrics._mountDuration.Record(TimeProvider.System.GetElapsedTime(started).TotalSeconds, new("result", result), new("poll", poll));
            if (rotationPoll && code != GrpcStatusCode.OK)
            {
                metrics._rotationFailures.Add(1, new KeyValuePair<string, object?>("result", result));
            }
        }
    }
}
