namespace OpenBao.Emulator.Internal.Tokens;

/// <summary>OpenBao's two kinds of token: service tokens live in storage with a lease, batch tokens carry themselves.</summary>
internal enum TokenType
{
    Service,
    Batch,
}
