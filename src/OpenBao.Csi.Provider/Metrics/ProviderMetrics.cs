using System.Collections.Concurrent;
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

    /// <summary>
    /// Mounts record what waits when they have answered, so only background requests (renewals on a node without
    /// mounts) pile up between scrapes, or without any; past this many they are recorded at once.
    /// </summary>
    private const int MaxPendingDurations = 1024;

    // Seconds, from a loopback read to a mount that spends the kubelet's whole budget.
    private static readonly IReadOnlyList<double> DurationBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    // gRPC numbers its codes 0 to 16 without gaps.
    private static readonly string[] CodeLabels = [.. Enum.GetValues<GrpcStatusCode>().Order().Select(code => code.ToString())];

    private static readonly string[] Polls = ["mount", "rotation"];
    private static readonly OpenBaoOperation[] OpenBaoOperations = Enum.GetValues<OpenBaoOperation>();
    private static readonly string[] Lookups = ["miss", "hit"];

    // What every mount counts is added up here and handed to the exporter when it is scraped: an interlocked add
    // costs a mount far less than a tagged measurement, which sorts and looks up its labels each time.
    private readonly long[] _mountCounts = new long[CodeLabels.Length * Polls.Length];
    private readonly long[] _openBaoRequestCounts = new long[OpenBaoOperations.Length * StatusLabels.Count];
    private readonly long[] _tokenLookupCounts = new long[Lookups.Length];
    private readonly long[] _leaseLookupCounts = new long[Lookups.Length];
    private long _mountsInFlight;

    // Recording into a histogram runs the exporter's aggregation (its label lookup, bucket search and lock). With
    // OpenBao 2 ms away the caches have gone cold by the time an answer comes, and the two histograms took some
    // 15 µs of every mount's answer. Durations wait here instead until the answer has gone or the exporter collects.
    private readonly ConcurrentQueue<PendingDuration> _pendingDurations = new();
    private int _pendingCount;

    private readonly Histogram<double> _mountDuration;
    private readonly Histogram<double> _openBaoDuration;
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
        _meter.CreateObservableCounter("openbao_csi.mounts", ObserveMounts, "{mount}", "Mount calls answered, by gRPC code and by whether the driver was polling for rotation.");
        _mountDuration = _meter.CreateHistogram("openbao_csi.mount.duration", "s", "Time to answer a Mount call.", advice: seconds);
        _meter.CreateObservableUpDownCounter("openbao_csi.mounts.in_flight", () => Volatile.Read(ref _mountsInFlight), "{mount}", "Mount calls being answered now.");
        _meter.CreateObservableCounter(
            "openbao_csi.openbao.requests", ObserveOpenBaoRequests, "{request}", "HTTP requests sent to OpenBao, by operation and status (or transport_error, timeout).");
        _openBaoDuration = _meter.CreateHistogram("openbao_csi.openbao.request.duration", "s", "Time OpenBao took to answer one request.", advice: seconds);
        _meter.CreateObservableCounter(
            "openbao_csi.token_cache.lookups", () => ObserveLookups(_tokenLookupCounts), "{lookup}", "Token cache lookups by a mount: hit (no login) or miss.");
        _meter.CreateObservableCounter(
            "openbao_csi.lease_cache.lookups", () => ObserveLookups(_leaseLookupCounts), "{lookup}", "Kept-secret lookups by a poll: hit (served again) or miss (read from OpenBao).");
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
        Interlocked.Increment(ref _mountsInFlight);
        return new MountMeasurement(this, rotationPoll, TimeProvider.System.GetTimestamp());
    }

    /// <param name="outcome">One of <see cref="StatusLabels"/>' outcomes.</param>
    public void OpenBaoRequest(OpenBaoOperation operation, int outcome, TimeSpan elapsed)
    {
        Interlocked.Increment(ref _openBaoRequestCounts[RequestSlot(operation, outcome)]);
        Defer(new PendingDuration(_openBaoDuration, elapsed.TotalSeconds, new("operation", operation.Label())));
    }

    /// <summary>
    /// Records the durations measured since the last call. A mount calls it once its answer is on its way, and the
    /// exporter's collection calls it first, so no scrape misses a duration taken before it.
    /// </summary>
    public void RecordPendingDurations()
    {
        while (_pendingDurations.TryDequeue(out var pending))
        {
            Interlocked.Decrement(ref _pendingCount);
            if (pending.Second.Key is null)
            {
                pending.Histogram.Record(pending.Seconds, pending.First);
            }
            else
            {
                pending.Histogram.Record(pending.Seconds, pending.First, pending.Second);
            }
        }
    }

    private void Defer(PendingDuration duration)
    {
        _pendingDurations.Enqueue(duration);
        // Without mounts or scrapes (renewals on a quiet node) nothing else would record them.
        if (Interlocked.Increment(ref _pendingCount) > MaxPendingDurations)
        {
            RecordPendingDurations();
        }
    }

    public void TokenLookup(bool hit) => Interlocked.Increment(ref _tokenLookupCounts[hit ? 1 : 0]);

    public void LeaseLookup(bool hit) => Interlocked.Increment(ref _leaseLookupCounts[hit ? 1 : 0]);

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
            if (code != GrpcStatusCode.OK)
            {
                _rotationFailures.Add(0, new KeyValuePair<string, object?>("result", Label(code)));
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

    private IEnumerable<Measurement<long>> ObserveMounts()
    {
        // A collection asks every observable instrument before it reads a histogram, so the histograms it reads are complete.
        RecordPendingDurations();
        for (var code = 0; code < CodeLabels.Length; code++)
        {
            for (var poll = 0; poll < Polls.Length; poll++)
            {
                yield return new Measurement<long>(
                    Volatile.Read(ref _mountCounts[MountSlot(code, poll)]), new("result", CodeLabels[code]), new("poll", Polls[poll]));
            }
        }
    }

    /// <summary>The outcomes each operation has had so far: a series starts with its first request.</summary>
    private IEnumerable<Measurement<long>> ObserveOpenBaoRequests()
    {
        foreach (var operation in OpenBaoOperations)
        {
            for (var outcome = 0; outcome < StatusLabels.Count; outcome++)
            {
                var count = Volatile.Read(ref _openBaoRequestCounts[RequestSlot(operation, outcome)]);
                if (count > 0)
                {
                    yield return new Measurement<long>(count, new("operation", operation.Label()), new("status", StatusLabels.Label(outcome)));
                }
            }
        }
    }

    private static IEnumerable<Measurement<long>> ObserveLookups(long[] counts) =>
        Lookups.Select((result, index) => new Measurement<long>(Volatile.Read(ref counts[index]), new KeyValuePair<string, object?>("result", result)));

    /// <summary>A gRPC code's name, looked up: an enum's name is found by reflection in a NativeAOT binary, on every mount.</summary>
    private static string Label(GrpcStatusCode code) => CodeLabels[IndexOf(code)];

    /// <summary>Where a mount's count is kept: by gRPC code (its index), then by poll kind.</summary>
    private static int MountSlot(int code, int poll) => (code * Polls.Length) + poll;

    /// <summary>Where an OpenBao request's count is kept: by operation, then by outcome.</summary>
    private static int RequestSlot(OpenBaoOperation operation, int outcome) => ((int)operation * StatusLabels.Count) + outcome;

    /// <summary>gRPC has no codes beyond its 17; one from elsewhere counts as Unknown.</summary>
    private static int IndexOf(GrpcStatusCode code) => (uint)code < (uint)CodeLabels.Length ? (int)code : (int)GrpcStatusCode.Unknown;

    /// <summary>One Mount call, from arrival to its answer.</summary>
    internal readonly struct MountMeasurement(ProviderMetrics metrics, bool rotationPoll, long started)
    {
        public TimeSpan Elapsed => TimeProvider.System.GetElapsedTime(started);

        public void Finish(GrpcStatusCode code)
        {
            var result = Label(code);
            var poll = rotationPoll ? 1 : 0;
            Interlocked.Decrement(ref metrics._mountsInFlight);
            Interlocked.Increment(ref metrics._mountCounts[MountSlot(IndexOf(code), poll)]);
            metrics.Defer(new PendingDuration(metrics._mountDuration, Elapsed.TotalSeconds, new("result", result), new("poll", Polls[poll])));
            if (rotationPoll && code != GrpcStatusCode.OK)
            {
                metrics._rotationFailures.Add(1, new KeyValuePair<string, object?>("result", result));
            }
        }
    }

    /// <summary>A histogram measurement not yet recorded, with its one or two labels.</summary>
    private readonly record struct PendingDuration(
        Histogram<double> Histogram, double Seconds, KeyValuePair<string, object?> First, KeyValuePair<string, object?> Second = default);
}
