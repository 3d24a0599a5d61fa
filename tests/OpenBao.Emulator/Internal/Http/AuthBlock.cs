namespace OpenBao.Emulator.Internal.Http;

/// <summary>The <c>auth</c> member of a login or token renewal response.</summary>
internal sealed record AuthBlock(
    string ClientToken,
    string Accessor,
    IReadOnlyList<string> Policies,
    IReadOnlyDictionary<string, string>? Metadata,
    long LeaseDuration,
    bool Renewable,
    string EntityId);
