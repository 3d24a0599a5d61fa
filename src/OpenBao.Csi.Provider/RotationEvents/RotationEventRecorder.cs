using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Metrics;

namespace OpenBao.Csi.Provider.RotationEvents;

/// <summary>
/// Makes failed rotation polls visible: since driver v1.6 the driver reports a failed republish as a
/// success, so without an Event nobody learns that a pod's files stopped rotating. A failure of a
/// mount this provider served before (or that the driver says it holds versions of) posts a Warning
/// Event on the pod; the same failure again raises that Event's count instead of adding one per poll,
/// even when other failures come between (as client-go keys its aggregation by message), written at most
/// once per <see cref="AggregateInterval"/> and brought up to date before the first success afterwards
/// posts one Normal Event. Posting runs behind a bounded queue, so a slow
/// or refusing Kubernetes API never slows a mount. Without a sink (Events off, no Kubernetes API) it
/// only remembers which mounts it served, which is how a rotation poll is told from a first mount:
/// the kubelet republishes with the same request as the first publish.
/// </summary>
internal sealed class RotationEventRecorder : BackgroundService
{
    public const string FailedReason = "SecretRotationFailed";
    public const string RecoveredReason = "SecretRotationRecovered";
    public const int DefaultCapacity = 10_000;

    /// <summary>The API server's limit for an Event's note in events.k8s.io; kept for core/v1 too so both views show it whole.</summary>
    public const int MaxMessageLength = 1024;

    private const int QueueLength = 1024;

    /// <summary>Distinct failures of one pod's mount counted at once: an outage alternates between a few (a timeout, a refused connection).</summary>
    private const int MaxFailureSeries = 4;

    /// <summary>
    /// How often a repeated failure's count is written, as client-go's spam filter lets one write per object through
    /// every 5 minutes: a poll fails every 2 minutes, and an outage fails every pod's polls on every node at once.
    /// </summary>
    public static readonly TimeSpan AggregateInterval = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private readonly IPodEventSink? _sink;
    private readonly ProviderMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<RotationEventRecorder> _logger;
    private readonly int _capacity;
    private readonly Lock _gate = new();
    private readonly Dictionary<RotationKey, Tracked> _tracked = [];
    private readonly Channel<Post> _posts;
    private long _lastNameStamp;

    public RotationEventRecorder(IPodEventSink? sink, ProviderMetrics metrics, TimeProvider time, ILogger<RotationEventRecorder> logger, int capacity = DefaultCapacity)
    {
        _sink = sink;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _capacity = capacity;
        _posts = Channel.CreateBounded<Post>(
            new BoundedChannelOptions(QueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite },
            dropped => _metrics.KubernetesEvent(dropped.Event.Reason, EventResult.Dropped));
    }

    /// <summary>Pods and SecretProviderClasses remembered (bounded by the capacity).</summary>
    public int Remembered
    {
        get
        {
            lock (_gate)
            {
                return _tracked.Count;
            }
        }
    }

    /// <summary>Whether this provider answered a Mount for this pod and SecretProviderClass before.</summary>
    public bool WasServed(RotationKey key)
    {
        lock (_gate)
        {
            return _tracked.TryGetValue(key, out var tracked) && tracked.Served;
        }
    }

    public void Succeeded(RotationKey key)
    {
        PodEvent? recovered = null;
        List<Post> unwritten = [];
        lock (_gate)
        {
            var tracked = Touch(key);
            tracked.Served = true;
            if (tracked.FailingSince is { } since)
            {
                // Counts held back by the interval are written first, so the Warning ends with every failed poll.
                unwritten.AddRange(tracked.Failures.Where(failure => failure.LastTimestamp > tracked.WrittenAt[failure.Name]).Select(failure => new Post(failure, Aggregate: true)));
                var now = _time.GetUtcNow();
                var polls = tracked.FailedPolls == 1 ? "1 failed poll" : $"{tracked.FailedPolls} failed polls";
                recovered = NewEvent(key, "Normal", RecoveredReason, $"SecretProviderClass {key.SecretProviderClass}: files rotate again after {polls} since {since:u}", now);
                tracked.Failures.Clear();
                tracked.WrittenAt.Clear();
                tracked.FailingSince = null;
                tracked.FailedPolls = 0;
            }
        }

        foreach (var post in unwritten)
        {
            Enqueue(post);
        }

        if (recovered is not null)
        {
            Enqueue(new Post(recovered, Aggregate: false));
        }
    }

    /// <param name="rotationPoll">The driver sent the versions it holds, or the pod runs: the mount worked before, perhaps under a previous provider process.</param>
    public void Failed(RotationKey key, bool rotationPoll, StatusCode code, string detail)
    {
        Post? post = null;
        lock (_gate)
        {
            var known = _tracked.TryGetValue(key, out var existing) && existing.Served;
            if (!known && !rotationPoll)
            {
                // A first mount that fails keeps the pod from starting; the kubelet reports that (FailedMount).
                return;
            }

            var tracked = Touch(key);
            tracked.Served = true;
            tracked.FailedPolls++;
            var now = _time.GetUtcNow();
            var message = Truncate($"SecretProviderClass {key.SecretProviderClass}: {code}: {detail}");
            tracked.FailingSince ??= now;
            var series = tracked.Failures.FindIndex(failure => failure.Message == message);
            if (series >= 0)
            {
                var failing = tracked.Failures[series] with { Count = tracked.Failures[series].Count + 1, LastTimestamp = now };
                tracked.Failures[series] = failing;
                if (now - tracked.WrittenAt[failing.Name] >= AggregateInterval)
                {
                    tracked.WrittenAt[failing.Name] = now;
                    post = new Post(failing, Aggregate: true);
                }
            }
            else
            {
                if (tracked.Failures.Count >= MaxFailureSeries)
                {
                    var oldest = tracked.Failures.MinBy(failure => failure.LastTimestamp)!;
                    tracked.Failures.Remove(oldest);
                    tracked.WrittenAt.Remove(oldest.Name);
                }

                var failing = NewEvent(key, "Warning", FailedReason, message, now);
                tracked.Failures.Add(failing);
                tracked.WrittenAt[failing.Name] = now;
                post = new Post(failing, Aggregate: false);
            }
        }

        if (post is { } due)
        {
            Enqueue(due);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_sink is null)
        {
            return;
        }

        await foreach (var post in _posts.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            await PostAsync(post, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task PostAsync(Post post, CancellationToken stoppingToken)
    {
        var podEvent = post.Event;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(CallTimeout);
        try
        {
            if (post.Aggregate && await _sink!.AggregateAsync(podEvent, timeout.Token).ConfigureAwait(false))
            {
                _metrics.KubernetesEvent(podEvent.Reason, EventResult.Aggregated);
                return;
            }

            await _sink!.CreateAsync(podEvent, timeout.Token).ConfigureAwait(false);
            _metrics.KubernetesEvent(podEvent.Reason, EventResult.Created);
            Log.EventPosted(_logger, podEvent.Type, podEvent.Reason, podEvent.Namespace, podEvent.PodName, podEvent.Count);
        }
        catch (PodEventException ex) when (ex.NamespaceTerminating)
        {
            // As client-go's recorder does: expected while a namespace's pods are torn down, so not a warning.
            _metrics.KubernetesEvent(podEvent.Reason, EventResult.Skipped);
            Log.EventSkippedNamespaceTerminating(_logger, podEvent.Reason, podEvent.Namespace, podEvent.PodName);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            _metrics.KubernetesEvent(podEvent.Reason, EventResult.Failed);
            Log.EventFailed(_logger, podEvent.Reason, podEvent.Namespace, podEvent.PodName, ex is OperationCanceledException ? $"no answer within {CallTimeout.TotalSeconds:0}s" : ex.Message);
        }
    }

    private void Enqueue(Post post)
    {
        // DropWrite: a full queue drops the post and counts it (see the constructor).
        if (_sink is not null)
        {
            _posts.Writer.TryWrite(post);
        }
    }

    private Tracked Touch(RotationKey key)
    {
        var stamp = _time.GetTimestamp();
        if (_tracked.TryGetValue(key, out var tracked))
        {
            tracked.LastUsed = stamp;
            return tracked;
        }

        if (_tracked.Count >= _capacity)
        {
            // Pods that stopped polling (deleted) go first; a tenth at a time keeps the scan rare.
            foreach (var stale in _tracked.OrderBy(entry => entry.Value.LastUsed).Take(Math.Max(1, _capacity / 10)).Select(entry => entry.Key).ToList())
            {
                _tracked.Remove(stale);
            }
        }

        tracked = new Tracked { LastUsed = stamp };
        _tracked[key] = tracked;
        return tracked;
    }

    private PodEvent NewEvent(RotationKey key, string type, string reason, string message, DateTimeOffset now)
    {
        // client-go names Events "<object>.<hex nanoseconds>"; kept strictly increasing so two in one tick differ.
        var stamp = (now - DateTimeOffset.UnixEpoch).Ticks * 100;
        _lastNameStamp = Math.Max(stamp, _lastNameStamp + 1);
        var suffix = $".{_lastNameStamp:x}";
        var name = key.Pod.Length + suffix.Length > 253 ? key.Pod[..(253 - suffix.Length)] + suffix : key.Pod + suffix;
        return new PodEvent(name, key.Namespace, key.Pod, key.PodUid, type, reason, message, 1, now, now);
    }

    private static string Truncate(string message) =>
        message.Length <= MaxMessageLength ? message : string.Concat(message.AsSpan(0, MaxMessageLength - 1), "…");

    private sealed class Tracked
    {
        public bool Served { get; set; }

        /// <summary>The latest Event of each distinct failure since the last success.</summary>
        public List<PodEvent> Failures { get; } = [];

        /// <summary>When each of <see cref="Failures"/> (by Event name) was last written to the API server.</summary>
        public Dictionary<string, DateTimeOffset> WrittenAt { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset? FailingSince { get; set; }

        public int FailedPolls { get; set; }

        public long LastUsed { get; set; }
    }

    private readonly record struct Post(PodEvent Event, bool Aggregate);
}
