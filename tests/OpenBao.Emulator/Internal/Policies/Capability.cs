namespace OpenBao.Emulator.Internal.Policies;

[Flags]
internal enum Capability
{
    None = 0,
    Deny = 1 << 0,
    Create = 1 << 1,
    Read = 1 << 2,
    Update = 1 << 3,
    Delete = 1 << 4,
    List = 1 << 5,
    Sudo = 1 << 6,
    Patch = 1 << 7,
}
