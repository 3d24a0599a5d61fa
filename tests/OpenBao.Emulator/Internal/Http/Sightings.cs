namespace OpenBao.Emulator.Internal.Http;

/// <summary>What has been seen so far, and waiters for the first one a predicate accepts.</summary>
internal sealed class Sightings<T>
{
    private readonly Lock _gate = new();
    private readonly List<T> _seen = [];
    private readonly List<(Func<T, bool> Match, TaskCompletionSource Seen)> _waiters = [];

    public void Add(T item)
    {
        lock (_gate)
        {
            _seen.Add(item);
            _waiters.RemoveAll(waiter => waiter.Match(item) && waiter.Seen.TrySetResult());
        }
    }

    /// <summary>Completes when an item <paramref name="match"/> accepts is added, or at once if one already was.</summary>
    public Task WhenSeenAsync(Func<T, bool> match)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_seen.Any(match))
            {
                return Task.CompletedTask;
            }

            _waiters.Add((match, seen));
        }

        return seen.Task;
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_gate)
        {
            return [.. _seen];
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _seen.Clear();
        }
    }
}
