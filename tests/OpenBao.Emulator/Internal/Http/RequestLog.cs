namespace OpenBao.Emulator.Internal.Http;

internal sealed class RequestLog
{
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<(Func<RecordedRequest, bool> Match, TaskCompletionSource Seen)> _waiters = [];

    public void Add(RecordedRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
            _waiters.RemoveAll(waiter => waiter.Match(request) && waiter.Seen.TrySetResult());
        }
    }

    /// <summary>Completes when a request <paramref name="match"/> accepts is recorded, or at once if one already was.</summary>
    public Task WhenRecordedAsync(Func<RecordedRequest, bool> match)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_requests.Any(match))
            {
                return Task.CompletedTask;
            }

            _waiters.Add((match, seen));
        }

        return seen.Task;
    }

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_gate)
        {
            return [.. _requests];
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }
}
