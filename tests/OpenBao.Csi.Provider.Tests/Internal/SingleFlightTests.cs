using OpenBao.Csi.Provider.Internal;

namespace OpenBao.Csi.Provider.Tests.Internal;

public sealed class SingleFlightTests
{
    private readonly SingleFlight<string, int> _flights = new();
    private int _runs;

    [Fact]
    public async Task RunAsync_ConcurrentSameKey_RunsOnceAndSharesTheResult()
    {
        var gate = new TaskCompletionSource();
        var callers = Enumerable.Range(0, 8).Select(_ => _flights.RunAsync("k", () => WorkAsync(gate.Task, 42), default)).ToList();
        gate.SetResult();

        Assert.All(await Task.WhenAll(callers), value => Assert.Equal(42, value));
        Assert.Equal(1, _runs);
        Assert.Equal(0, _flights.InFlight);
    }

    [Fact]
    public async Task RunAsync_DifferentKeys_RunSeparately()
    {
        await Task.WhenAll(_flights.RunAsync("a", () => WorkAsync(Task.CompletedTask, 1), default), _flights.RunAsync("b", () => WorkAsync(Task.CompletedTask, 2), default));

        Assert.Equal(2, _runs);
    }

    [Fact]
    public async Task RunAsync_AfterCompletion_RunsAgain()
    {
        await _flights.RunAsync("k", () => WorkAsync(Task.CompletedTask, 1), default);
        await _flights.RunAsync("k", () => WorkAsync(Task.CompletedTask, 2), default);

        Assert.Equal(2, _runs);
    }

    [Fact]
    public async Task RunAsync_Failure_ReachesEveryWaiterAndIsNotKept()
    {
        var gate = new TaskCompletionSource();
        var first = _flights.RunAsync("k", async () => { await gate.Task; throw new InvalidOperationException("boom"); }, default);
        var second = _flights.RunAsync("k", () => WorkAsync(Task.CompletedTask, 7), default);
        gate.SetResult();

        await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        await Assert.ThrowsAsync<InvalidOperationException>(() => second);
        Assert.Equal(7, await _flights.RunAsync("k", () => WorkAsync(Task.CompletedTask, 7), default));
    }

    [Fact]
    public async Task RunAsync_OneCallerCancels_WorkCompletesForTheOthers()
    {
        var gate = new TaskCompletionSource();
        using var impatient = new CancellationTokenSource();
        var leaving = _flights.RunAsync("k", () => WorkAsync(gate.Task, 5), impatient.Token);
        var staying = _flights.RunAsync("k", () => WorkAsync(gate.Task, 6), default);

        await impatient.CancelAsync();
        gate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        Assert.Equal(5, await staying);
        Assert.Equal(1, _runs);
    }

    private async Task<int> WorkAsync(Task gate, int value)
    {
        Interlocked.Increment(ref _runs);
        await gate;
        return value;
    }
}
