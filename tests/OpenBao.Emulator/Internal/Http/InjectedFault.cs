namespace OpenBao.Emulator.Internal.Http;

/// <summary>What a queued fault does to the one request it takes.</summary>
/// <param name="Response">The answer to send instead of the real one; null resets the connection with no answer at all.</param>
/// <param name="AfterHandling">Whether the request is processed first, so its effects (an issued credential, a revoked token) happen.</param>
internal sealed record InjectedFault(ApiResult? Response, bool AfterHandling);
