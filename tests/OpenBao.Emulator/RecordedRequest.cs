namespace OpenBao.Emulator;

/// <summary>
/// One request as the emulator saw it. Token values and bodies are never kept, so a test can print
/// the log without leaking secrets.
/// </summary>
/// <param name="Method">HTTP method, as sent.</param>
/// <param name="Path">Request path without the query, e.g. <c>/v1/secret/data/app</c>.</param>
/// <param name="Query">Query string without the leading <c>?</c>; empty when there was none.</param>
/// <param name="Namespace">The namespace the request resolved to (no trailing slash), the raw header when it did not resolve, or null for root.</param>
/// <param name="StatusCode">Status sent back; 499 when the client went away first; 0 when the emulator reset the
/// connection instead of answering (<see cref="OpenBaoEmulator.AbortNext"/>).</param>
/// <param name="HadToken">Whether an <c>X-Vault-Token</c> or bearer token was sent.</param>
public sealed record RecordedRequest(string Method, string Path, string Query, string? Namespace, int StatusCode, bool HadToken);
