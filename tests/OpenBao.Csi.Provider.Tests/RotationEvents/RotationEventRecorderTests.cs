using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OpenBao.Csi.Provider.RotationEvents;

namespace OpenBao.Csi.Provider.Tests.RotationEvents;

/// <summary>When rotation Events are posted, aggregated and recovered; the sink records what reached the Kubernetes API.</summary>
public sealed class RotationEventRecorderTests : IAsyncLifetime
{
    private static readonly RotationKey Pod = new("shop", "app-7d9f8", "uid-1", "app-secrets");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly RecordingSink _sink = new();
    private readonly RotationEventRecorder _recorder;

    public RotationEventRecorderTests() =>
        _recorder = new RotationEventRecorder(_sink, TestMetrics.Unobserved, _time, NullLogger<RotationEventRecorder>.Instance, capacity: 8);

    public Task InitializeAsync() => _recorder.StartAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _recorder.StopAsync(CancellationToken.None);
        _recorder.Dispose();
    }

    [Fact]
    public async Task FirstMountFails_NoEvent_TheKubeletReportsIt()
    {
        _recorder.Failed(Pod, rotationPoll: false, StatusCode.NotFound, "secret/data/shop/db not found");
        _recorder.Failed(Pod with { Pod = "other" }, rotationPoll: true, StatusCode.NotFound, "marker");

        var only = await _sink.NextAsync();

        Assert.Equal("other", only.Event.PodName);
    }

    /// <summary>A poll fails every 2 minutes; its count is written at most every 5, as client-go's spam filter lets writes through.</summary>
    [Fact]
    public async Task ServedThenFailingRepeatedly_OneWarningAggregatedEveryFiveMinutes_ThenOneRecovery()
    {
        const string Refused = "cannot reach OpenBao at https://bao:8200/ (connection refused)";
        _recorder.Succeeded(Pod);
        for (var poll = 0; poll < 4; poll++)
        {
            _recorder.Failed(Pod, rotationPoll: true, StatusCode.Aborted, Refused);
            _time.Advance(TimeSpan.FromMinutes(2));
        }

        _recorder.Succeeded(Pod);
        _recorder.Succeeded(Pod);
        _recorder.Failed(Pod with { Pod = "marker" }, rotationPoll: true, StatusCode.NotFound, "end");

        var created = await _sink.NextAsync();
        var aggregated = await _sink.NextAsync();
        var recovered = await _sink.NextAsync();
        var marker = await _sink.NextAsync();

        Assert.Equal(("create", "Warning", "SecretRotationFailed", 1), (created.Verb, created.Event.Type, created.Event.Reason, created.Event.Count));
        Assert.Equal($"SecretProviderClass app-secrets: Aborted: {Refused}", created.Event.Message);
        Assert.Equal(("shop", "app-7d9f8", "uid-1"), (created.Event.Namespace, created.Event.PodName, created.Event.PodUid));
        Assert.StartsWith("app-7d9f8.", created.Event.Name, StringComparison.Ordinal);
        // Polls at 0, 2, 4 and 6 minutes: written at 0 and 6; the recovery at 8 finds nothing left to write.
        Assert.Equal(("aggregate", created.Event.Name, 4), (aggregated.Verb, aggregated.Event.Name, aggregated.Event.Count));
        Assert.Equal(created.Event.FirstTimestamp, aggregated.Event.FirstTimestamp);
        Assert.Equal(created.Event.FirstTimestamp.AddMinutes(6), aggregated.Event.LastTimestamp);
        Assert.Equal(("create", "Normal", "SecretRotationRecovered"), (recovered.Verb, recovered.Event.Type, recovered.Event.Reason));
        Assert.Contains("after 4 failed polls", recovered.Event.Message, StringComparison.Ordinal);
        Assert.NotEqual(created.Event.Name, recovered.Event.Name);
        Assert.Equal("marker", marker.Event.PodName);
    }

    [Fact]
    public async Task RecoveryWithinTheInterval_HeldBackCountWrittenBeforeTheRecovery()
    {
        _recorder.Failed(Pod, rotationPoll: true, StatusCode.Aborted, "sealed");
        _time.Advance(TimeSpan.FromMinutes(2));
        _recorder.Failed(Pod, rotationPoll: true, StatusCode.Aborted, "sealed");
        _time.Advance(TimeSpan.FromMinutes(2));
        _recorder.Succeeded(Pod);

        var created = await _sink.NextAsync();
        var caughtUp = await _sink.NextAsync();
        var recovered = await _sink.NextAsync();

        Assert.Equal(("create", 1), (created.Verb, created.Event.Count));
        Assert.Equal(("aggregate", created.Event.Name, 2), (caughtUp.Verb, caughtUp.Event.Name, caughtUp.Event.Count));
        Assert.Equal(RotationEventRecorder.RecoveredReason, recovered.Event.Reason);
    }

    [Fact]
    public async Task DifferentFailure_NewWarningRatherThanAggregate()
    {
        _recorder.Failed(Pod, rotationPoll: true, StatusCode.Aborted, "OpenBao is sealed");
        _recorder.Failed(Pod, rotationPoll: true, StatusCode.PermissionDenied, "permission denied on secret/data/shop/db");

        var first = await _sink.NextAsync();
        var second = await _sink.NextAsync();

        Assert.Equal(("create", "create"), (first.Verb, second.Verb));
        Assert.NotEqual(first.Event.Name, second.Event.Name);
        Assert.Contains("PermissionDenied", second.Event.Message, StringComparison.Ordinal);
    }

    /// <summary>An outage that alternates between two answers counts each on its own Event, as client-go keys aggregation by message.</summary>
    [Fact]
    public async Task AlternatingFailures_EachCountedOnItsOwnWarning_RecoveryCountsAllPolls()
    {
        _recorder.Succeeded(Pod);
        for (var poll = 0; poll < 3; poll++)
        {
            _recorder.Failed(Pod, rotationPoll: true, StatusCode.DeadlineExceeded, "OpenBao did not answer in time");
            _time.Advance(TimeSpan.FromMinutes(2));
            _recorder.Failed(Pod, rotationPoll: true, StatusCode.Aborted, "cannot reach OpenBao (connection refused)");
            _time.Advance(TimeSpan.FromMinutes(2));
        }

        _recorder.Succeeded(Pod);

        var posts = new List<(string Verb, PodEvent Event)>();
        for (var i = 0; i < 5; i++)
        {
            posts.Add(await _sink.NextAsync());
        }

        // Each series fails every 4 minutes: created, then written again 8 minutes on, which leaves nothing for the recovery to write.
        var timeouts = posts.Where(post => post.Event.Message.Contains("DeadlineExceeded", StringComparison.Ordinal)).ToList();
        var refusals = posts.Where(post => post.Event.Message.Contains("Aborted", StringComparison.Ordinal)).ToList();
        Assert.Equal(["create", "aggregate"], timeouts.Select(post => post.Verb));
        Assert.Equal(["create", "aggregate"], refusals.Select(post => post.Verb));
        Assert.Equal([1, 3], timeouts.Select(post => post.Event.Count));
        Assert.Equal([1, 3], refusals.Select(post => post.Event.Count));
        Assert.Single(timeouts.Select(post => post.Event.Name).Distinct());
        Assert.NotEqual(timeouts[0].Event.Name, refusals[0].Event.Name);
        Assert.Equal(("create", "SecretRotationRecovered"), (posts[4].Verb, posts[4].Event.Reason));
        Assert.Contains("after 6 failed polls since 2026-12-01 08:00:00Z", posts[4].Event.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AggregatedEventExpired_CreatedAgainWithTheRunningCount()
    {
        _recorder.Failed(Pod, rotationPoll: true, StatusCode.Aborted, "sealed");
        await _sink.NextAsync();
        _sink.EventsExist = false;

        _time.Advance(RotationEventRecorder.AggregateInterval);
        _recorder.Failed(Pod, rotationPoll: true, StatusCode.Aborted, "sealed");
        var aggregate = await _sink.NextAsync();
        var recreated = await _sink.NextAsync();

        Assert.Equal("aggregate", aggregate.Verb);
        Assert.Equal(("create", 2), (recreated.Verb, recreated.Event.Count));
    }

    [Fact]
    public async Task ApiRefuses_LaterEventsStillPosted()
    {
        _sink.Refuse = true;
        _recorder.Failed(Pod, rotationPoll: true, StatusCode.Aborted, "sealed");
        await _sink.NextAsync();
        _sink.Refuse = false;

        _recorder.Succeeded(Pod);
        var recovered = await _sink.NextAsync();

        Assert.Equal("SecretRotationRecovered", recovered.Event.Reason);
    }

    [Fact]
    public async Task LongDetail_MessageCutToTheApiLimit()
    {
        _recorder.Failed(Pod, rotationPoll: true, StatusCode.InvalidArgument, new string('x', 5000));

        var created = await _sink.NextAsync();

        Assert.Equal(RotationEventRecorder.MaxMessageLength, created.Event.Message.Length);
        Assert.EndsWith("…", created.Event.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutSink_RemembersServedMountsAndPostsNothing()
    {
        using var trackOnly = new RotationEventRecorder(sink: null, TestMetrics.Unobserved, _time, NullLogger<RotationEventRecorder>.Instance);
        await trackOnly.StartAsync(CancellationToken.None);
        var before = trackOnly.WasServed(Pod);

        trackOnly.Succeeded(Pod);
        trackOnly.Failed(Pod, rotationPoll: true, StatusCode.Aborted, "sealed");

        Assert.False(before);
        Assert.True(trackOnly.WasServed(Pod));
        Assert.False(trackOnly.WasServed(Pod with { PodUid = "uid-2" }));
        await trackOnly.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void ManyPods_MemoryBoundedByCapacity()
    {
        for (var i = 0; i < 100; i++)
        {
            _recorder.Succeeded(Pod with { Pod = $"app-{i}", PodUid = $"uid-{i}" });
        }

        Assert.InRange(_recorder.Remembered, 1, 8);
    }

    private sealed class RecordingSink : IPodEventSink
    {
        private readonly Channel<(string Verb, PodEvent Event)> _calls = Channel.CreateUnbounded<(string, PodEvent)>();

        public bool EventsExist { get; set; } = true;

        public bool Refuse { get; set; }

        public async Task<(string Verb, PodEvent Event)> NextAsync() =>
            await _calls.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        public Task CreateAsync(PodEvent podEvent, CancellationToken cancellationToken)
        {
            // Decided before the call is published: the test may change Refuse as soon as it sees the call.
            var refuse = Refuse;
            _calls.Writer.TryWrite(("create", podEvent));
            return refuse ? Task.FromException(new InvalidOperationException("refused")) : Task.CompletedTask;
        }

        public Task<bool> AggregateAsync(PodEvent podEvent, CancellationToken cancellationToken)
        {
            _calls.Writer.TryWrite(("aggregate", podEvent));
            return Task.FromResult(EventsExist);
        }
    }
}
