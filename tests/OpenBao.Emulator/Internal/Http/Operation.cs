namespace OpenBao.Emulator.Internal.Http;

/// <summary>OpenBao's logical operations, which policies grant and backends implement.</summary>
internal enum Operation
{
    Read,
    Update,
    Delete,
    List,
    Patch,
}
