using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Grpc.Core;
using OpenBao.Csi.Provider.Shell;
using OpenBao.Csi.Provider.Testing;
using OpenBao.Csi.Provider.V1Alpha1;

namespace OpenBao.Csi.Provider.Tests.Shell;

public sealed partial class MountSessionTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly WatchedClock _time = new(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));
    private readonly StringWriter _output = new();
    private readonly StringWriter _errors = new();

    private static MountResponse Response(params (string Id, string Contents, string Version)[] objects)
    {
        var response = new MountResponse();
        foreach (var (id, contents, version) in objects)
        {
            response.Files.Add(new V1Alpha1.File { Path = id, Mode = 384, Contents = ByteString.CopyFromUtf8(contents) });
            response.ObjectVersion.Add(new ObjectVersion { Id = id, Version = version });
        }

        return response;
    }

    private (MountSession Session, ScriptedTransport Transport) Start(TargetDirectoryWriter? target, params object[] answers)
    {
        var transport = new ScriptedTransport(answers);
        var session = new MountSession(
            transport,
            _ => Task.FromResult(new MountRequest { Attributes = "{}" }),
            target,
            TextWriter.Synchronized(_output),
            TextWriter.Synchronized(_errors),
            _time);
        return (session, transport);
    }

    /// <summary>
    /// Each time the watch has finished a poll and waits for the next (its delay's timer exists), checks
    /// whether it has done what the test waits for, and if not moves the fake clock on by one interval.
    /// </summary>
    private async Task AdvanceUntilAsync(Func<bool> done)
    {
        while (true)
        {
            Assert.True(
                await _time.TimerCreated.WaitAsync(TimeSpan.FromSeconds(20)),
                $"the watch stopped waiting for its next poll; output: {_output} errors: {_errors}");
            if (done())
            {
                return;
            }

            _time.Advance(Interval);
        }
    }

    /// <summary>The lines a watch writes, without their UTC time stamp (when the fake clock stood as the poll ended).</summary>
    private static List<string> Stamped(StringWriter writer) =>
        [.. writer.ToString().ReplaceLineEndings("\n").Split('\n')
            .Select(line => StampedLine().Match(line))
            .Where(match => match.Success)
            .Select(match => match.Groups[1].Value)];

    [GeneratedRegex(@"^2026-05-01T\d\d:\d\d:\d\dZ (.+)$")]
    private static partial Regex StampedLine();

    [Fact]
    public async Task MountOnce_PrintsTheTableWithoutContents()
    {
        var (session, _) = Start(null, Response(("pw", "s3cr3t-value", "v1")));

        Assert.True(await session.MountOnceAsync(default));

        Assert.Equal("OBJECT  MODE  SIZE  VERSION\npw      0600  12    v1\n", _output.ToString().ReplaceLineEndings("\n"));
        Assert.DoesNotContain("s3cr3t", _output.ToString() + _errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MountOnce_Failed_PrintsCodeAndMessage()
    {
        var (session, _) = Start(null, new RpcException(new Status(StatusCode.NotFound, "secret/data/shop/none: not found")));

        Assert.False(await session.MountOnceAsync(default));

        Assert.Equal("Mount failed: NotFound: secret/data/shop/none: not found", _errors.ToString().Trim());
        Assert.Empty(_output.ToString());
    }

    [Fact]
    public async Task MountOnce_NoVersions_RefusedAsTheDriverRefusesIt()
    {
        var (session, _) = Start(null, new MountResponse());

        Assert.False(await session.MountOnceAsync(default));

        Assert.Contains("no object versions", _errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MountOnce_UnsafePath_NamedAndNothingWritten()
    {
        var target = Path.Combine(Path.GetTempPath(), $"mount-session-{Guid.NewGuid():N}");
        var (session, _) = Start(new TargetDirectoryWriter(target, _time), Response(("ok", "x", "v1"), ("../escape", "secret", "v2")));

        Assert.False(await session.MountOnceAsync(default));

        Assert.Contains("\"../escape\"", _errors.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
        Assert.Empty(_output.ToString());
    }

    [Fact]
    public async Task Watch_ChangedVersions_PrintsRotationsAppearancesAndDisappearances()
    {
        var (session, transport) = Start(null, Response(("pw", "one", "v1"), ("user", "u", "u1"), ("old", "o", "o1")), Response(("pw", "two", "v2"), ("user", "u", "u1"), ("new", "n", "n1")));
        await session.MountOnceAsync(default);
        using var stop = new CancellationTokenSource();

        var watch = session.WatchAsync(Interval, stop.Token);
        await AdvanceUntilAsync(() => _output.ToString().Contains("appeared", StringComparison.Ordinal));
        await stop.CancelAsync();
        await watch.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(
            ["old disappeared", "pw rotated: version v1 -> v2", "new appeared: mode 0600, 1 bytes, version n1"],
            Stamped(_output));
        Assert.Equal(2, transport.Requests.Count);
    }

    [Fact]
    public async Task Watch_FailedPoll_ReportedAndTheLastGoodVersionsKept()
    {
        var (session, _) = Start(null, Response(("pw", "one", "v1")), new RpcException(new Status(StatusCode.Aborted, "OpenBao is sealed")), Response(("pw", "two", "v2")));
        await session.MountOnceAsync(default);
        using var stop = new CancellationTokenSource();

        var watch = session.WatchAsync(Interval, stop.Token);
        await AdvanceUntilAsync(() => _output.ToString().Contains("rotated", StringComparison.Ordinal));
        await stop.CancelAsync();
        await watch.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["Mount failed: Aborted: OpenBao is sealed; keeping the previous files"], Stamped(_errors));
        Assert.Equal(["pw rotated: version v1 -> v2"], Stamped(_output));
    }

    [Fact]
    public async Task Watch_NothingChanged_PrintsNothingAndPollsEveryInterval()
    {
        var (session, transport) = Start(null, Response(("pw", "one", "v1")));
        await session.MountOnceAsync(default);
        var table = _output.ToString();
        using var stop = new CancellationTokenSource();

        var watch = session.WatchAsync(Interval, stop.Token);
        await AdvanceUntilAsync(() => transport.Requests.Count >= 4);
        await stop.CancelAsync();
        await watch.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(table, _output.ToString());
    }

    [Fact]
    public async Task Watch_Stopped_ReturnsWithoutAnotherPoll()
    {
        var (session, transport) = Start(null, Response(("pw", "one", "v1")));
        await session.MountOnceAsync(default);
        using var stop = new CancellationTokenSource();

        var watch = session.WatchAsync(Interval, stop.Token);
        await stop.CancelAsync();
        await watch.WaitAsync(TimeSpan.FromSeconds(10));
        _time.Advance(Interval * 3);

        Assert.Single(transport.Requests);
        Assert.Equal("Polling every 30s, as the driver's rotation does; Ctrl-C stops", _errors.ToString().Trim());
    }

    /// <summary>Answers in order, then repeats the last answer.</summary>
    private sealed class ScriptedTransport(object[] answers) : IMountTransport
    {
        private int _next;

        public ConcurrentQueue<MountRequest> RequestQueue { get; } = new();

        public IReadOnlyList<MountRequest> Requests => [.. RequestQueue];

        public Task<MountResponse> MountAsync(MountRequest request, CancellationToken cancellationToken)
        {
            RequestQueue.Enqueue(request.Clone());
            var answer = answers[Math.Min(_next++, answers.Length - 1)];
            return answer is Exception error ? Task.FromException<MountResponse>(error) : Task.FromResult((MountResponse)answer);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
