namespace OpenBao.Emulator.Internal.Http;

/// <summary>A successful write with nothing to say: 204 and no body.</summary>
internal sealed class NoContentResult() : ApiResult(204);
