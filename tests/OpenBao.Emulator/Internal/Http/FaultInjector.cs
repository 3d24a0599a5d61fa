namespace OpenBao.Emulator.Internal.Http;

/// <summary>Queued failures: each answers a given number of matching requests, oldest first.</summary>
internal sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<Fault> _faults = [];

    public void Add(int count, int statusCode, string? pathPrefix, string message)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            _faults.Add(new Fault(count, statusCode, pathPrefix ?? "", message));
        }
    }

    public ApiResult? TryTake(string path)
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

            return ApiResult.Error(fault.StatusCode, fault.Message);
        }
    }

    private sealed class Fault(int remaining, int statusCode, string pathPrefix, string message)
    {
        public int Remaining { get; set; } = remaining;

        public int StatusCode { get; } = statusCode;

        public string PathPrefix { get; } = pathPrefix;

        public string Message { get; } = message;
    }
}
