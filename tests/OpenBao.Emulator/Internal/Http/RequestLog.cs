namespace OpenBao.Emulator.Internal.Http;

/// <summary>Requests as they arrive (before any injected latency) and as they are answered.</summary>
internal sealed class RequestLog
{
    private readonly Sightings<RecordedRequest> _answered = new();
    private readonly Sightings<(string Method, string Path)> _arrived = new();

    public void Arrived(string method, string path) => _arrived.Add((method, path));

    public void Add(RecordedRequest request) => _answered.Add(request);

    /// <summary>Completes when a request <paramref name="match"/> accepts is recorded, or at once if one already was.</summary>
    public Task WhenRecordedAsync(Func<RecordedRequest, bool> match) => _answered.WhenSeenAsync(match);

    /// <summary>Completes when a request <paramref name="match"/> accepts (method, path) has arrived, or at once if one already has.</summary>
    public Task WhenArrivedAsync(Func<string, string, bool> match) => _arrived.WhenSeenAsync(request => match(request.Method, request.Path));

    public IReadOnlyList<RecordedRequest> Snapshot() => _answered.Snapshot();

    public void Clear()
    {
        _answered.Clear();
        _arrived.Clear();
    }
}
