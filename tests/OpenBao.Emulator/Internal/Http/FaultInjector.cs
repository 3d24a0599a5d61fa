namespace OpenBao.Emulator.Internal.Http;

/// <summary>Queued failures: each takes a given number of matching requests, oldest first, one fault per request.</summary>
internal sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<Fault> _faults = [];

    public void Add(int count, int statusCode, string? pathPrefix, string message, bool afterHandling) =>
        Enqueue(count, pathPrefix, new InjectedFault(ApiResult.Error(statusCode, message), afterHandling));

    /// <summary>Handled, then the connection is dropped: the client never learns whether it worked.</summary>
    public void AddAbort(int count, string? pathPrefix) =>
        Enqueue(count, pathPrefix, new InjectedFault(Response: null, AfterHandling: true));

    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    public InjectedFault? TryTake(string path)
    {
        lock (_gate)
        {
            var fault = _faults.FirstOrDefault(candidate => path.StartsWith(candidate.PathPrefix, StringComparison.Ordinal));
            if (fault is null)
            {
                return null;
            }

            if (--fault.Remaining == 0)
            {
                _faults.Remove(fault);
            }

            return fault.Outcome;
        }
    }

    private void Enqueue(int count, string? pathPrefix, InjectedFault outcome)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            _faults.Add(new Fault(count, pathPrefix ?? "", outcome));
        }
    }

    private sealed class Fault(int remaining, string pathPrefix, InjectedFault outcome)
    {
        public int Remaining { get; set; } = remaining;

        public string PathPrefix { get; } = pathPrefix;

        public InjectedFault Outcome { get; } = outcome;
    }
}
