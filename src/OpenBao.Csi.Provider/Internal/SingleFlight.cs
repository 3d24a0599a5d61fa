using System.Collections.Concurrent;

namespace OpenBao.Csi.Provider.Internal;

/// <summary>
/// Concurrent callers asking for the same key share one run of the work: one login per pod,
/// one read per request, one renewal per lease. The work runs detached from any one caller, so a
/// caller that gives up does not cancel it for the others (and a credential it issues is not wasted).
/// </summary>
internal sealed class SingleFlight<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Task<TValue>> _inFlight = new();

    public int InFlight => _inFlight.Count;

    public Task<TValue> RunAsync(TKey key, Func<Task<TValue>> work, CancellationToken cancellationToken)
    {
        // Callers continue on the thread that finished the work instead of waiting for a pool thread to wake up.
        // Nothing is held when they run: the key is released first.
        var mine = new TaskCompletionSource<TValue>();
        var running = _inFlight.GetOrAdd(key, mine.Task);
        if (ReferenceEquals(running, mine.Task))
        {
            _ = RunDetachedAsync(key, mine, work);
        }

        return running.WaitAsync(cancellationToken);
    }

    /// <remarks>
    /// The key is released before the callers are told, so a caller arriving after the answer starts a new run
    /// instead of getting the finished one (a failure in particular is never handed to someone who asked later).
    /// </remarks>
    private async Task RunDetachedAsync(TKey key, TaskCompletionSource<TValue> completion, Func<Task<TValue>> work)
    {
        TValue value;
        try
        {
            value = await work().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Release(key, completion);
            completion.SetException(ex);
            return;
        }

        Release(key, completion);
        completion.SetResult(value);
    }

    private void Release(TKey key, TaskCompletionSource<TValue> completion) =>
        _inFlight.TryRemove(new KeyValuePair<TKey, Task<TValue>>(key, completion.Task));
}
