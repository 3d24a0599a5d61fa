namespace OpenBao.Emulator.Internal.Http;

/// <summary>The <c>auth</c> member of a login or token renewal response.</summary>
/// <param name="TokenType"><c>service</c> or <c>batch</c>.</param>
internal sealed record AuthBlock(
    string ClientToken,
    string Accessor,
    IReadOnlyList<string> Policies,
    IReadOnlyDictionary<string, string>? Metadata,
    long LeaseDuration,
    bool Renewable,
    string EntityId,
    string TokenType);
