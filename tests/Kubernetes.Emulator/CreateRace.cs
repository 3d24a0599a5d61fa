namespace Kubernetes.Emulator;

/// <summary>
/// Holds creates until a number of them have arrived, then lets them all go at once: creators that each saw
/// 404 and now race to store the same name, which timing alone would stage only by luck.
/// </summary>
internal sealed class CreateRace(int creators)
{
    private readonly TaskCompletionSource _allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiting = creators;

    /// <summary>False once every creator has arrived: later creates are not held.</summary>
    public bool IsOpen => Volatile.Read(ref _waiting) > 0;

    public Task ArriveAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref _waiting) <= 0)
        {
            _allArrived.TrySetResult();
        }

        return _allArrived.Task.WaitAsync(cancellationToken);
    }
}
