namespace OpenBao.Emulator.Internal.Http;

/// <summary><c>{"errors":[...]}</c> with a status.</summary>
internal sealed class ErrorResult(int statusCode, IReadOnlyList<string> errors) : ApiResult(statusCode)
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
