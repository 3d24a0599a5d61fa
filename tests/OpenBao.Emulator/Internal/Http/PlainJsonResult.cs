namespace OpenBao.Emulator.Internal.Http;

/// <summary>A JSON object that is not the envelope (sys/health answers this way), members kept in order.</summary>
internal sealed class PlainJsonResult(int statusCode, IReadOnlyList<KeyValuePair<string, object?>> members) : ApiResult(statusCode)
{
    public IReadOnlyList<KeyValuePair<string, object?>> Members { get; } = members;
}
