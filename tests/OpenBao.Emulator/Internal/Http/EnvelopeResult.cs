namespace OpenBao.Emulator.Internal.Http;

/// <summary>The standard response envelope; <c>request_id</c> and <c>wrap_info</c> are filled in when written.</summary>
internal sealed class EnvelopeResult(int statusCode = 200) : ApiResult(statusCode)
{
    public string LeaseId { get; init; } = "";

    public bool Renewable { get; init; }

    public long LeaseDuration { get; init; }

    /// <summary>A map (keys are written sorted, like Go's encoder) or null.</summary>
    public IReadOnlyDictionary<string, object?>? Data { get; init; }

    public IReadOnlyList<string>? Warnings { get; init; }

    public AuthBlock? Auth { get; init; }
}
