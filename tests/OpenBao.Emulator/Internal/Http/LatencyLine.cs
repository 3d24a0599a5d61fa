using System.Diagnostics;

namespace OpenBao.Emulator.Internal.Http;

/// <summary>
/// Injected latency on the monotonic clock. .NET timers (<see cref="Task.Delay(TimeSpan)"/>) count in
/// the kernel's coarse ticks, 4 ms on a 250 Hz kernel, so there a 2 ms delay lasts about 2.2 or 4.4 ms
/// depending on where in the tick it starts: which of two clients waits longer would depend on when each
/// one calls, not on the latency asked for. One thread wakes every waiter at its due time with a timed
/// wait, which counts real time (about 0.1 ms late, like a network's jitter).
/// </summary>
internal sealed class LatencyLine : IDisposable
{
    private readonly object _gate = new();
    private readonly PriorityQueue<TaskCompletionSource, long> _waiting = new();
    // Started by the first delay: most emulators never inject latency.
    private Thread? _thread;
    private bool _disposed;

    /// <summary>Completes <paramref name="delay"/> from now; cancelled at once with <paramref name="cancellationToken"/>.</summary>
    public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        // Continuations go to the thread pool: handling a request on this thread would hold up the next due waiter.
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var due = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_thread is null)
            {
                _thread = new Thread(WakeWhenDue) { IsBackground = true, Name = "OpenBao emulator latency" };
                _thread.Start();
            }

            _waiting.Enqueue(waiter, due);
            // It may be due before the one the thread is waiting for.
            Monitor.Pulse(_gate);
        }

        return waiter.Task.WaitAsync(cancellationToken);
    }

    private void WakeWhenDue()
    {
        lock (_gate)
        {
            while (!_disposed)
            {
                if (!_waiting.TryPeek(out var waiter, out var due))
                {
                    Monitor.Wait(_gate);
                    continue;
                }

                var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (remaining <= TimeSpan.Zero)
                {
                    _waiting.Dequeue();
                    waiter.TrySetResult();
                }
                else
                {
                    // Rounded up, so a waiter is never woken early; a new one pulses the gate.
                    Monitor.Wait(_gate, (int)Math.Ceiling(remaining.TotalMilliseconds));
                }
            }

            while (_waiting.TryDequeue(out var abandoned, out _))
            {
                abandoned.TrySetCanceled();
            }
        }
    }

    public void Dispose()
    {
        Thread? thread;
        lock (_gate)
        {
            _disposed = true;
            thread = _thread;
            Monitor.Pulse(_gate);
        }

        thread?.Join();
    }
}
