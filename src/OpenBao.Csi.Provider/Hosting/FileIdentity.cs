using System.Runtime.InteropServices;

namespace OpenBao.Csi.Provider.Hosting;

/// <summary>
/// What a path is, without following a symlink: .NET has no API for a file's type or inode, and
/// both decide whether a path at <c>-endpoint</c> is a socket we may replace or remove.
/// </summary>
internal readonly partial record struct FileIdentity(bool IsSocket, bool IsDirectory, ulong Device, ulong Inode)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxTypeAndInode = 0x001 | 0x100;
    private const int NoSuchFile = 2;
    private const ushort TypeMask = 0xF000;
    private const ushort SocketType = 0xC000;
    private const ushort DirectoryType = 0x4000;

    /// <returns>Null when nothing is at <paramref name="path"/>.</returns>
    /// <exception cref="IOException">The path cannot be examined (a parent is not a directory, no permission).</exception>
    public static FileIdentity? Of(string path)
    {
        if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxTypeAndInode, out var status) == 0)
        {
            var type = (ushort)(status.Mode & TypeMask);
            return new FileIdentity(type == SocketType, type == DirectoryType, ((ulong)status.DeviceMajor << 32) | status.DeviceMinor, status.Inode);
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == NoSuchFile ? null : throw new IOException($"cannot examine {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>The same file, not merely a file at the same path.</summary>
    public bool IsSameFile(FileIdentity other) => Device == other.Device && Inode == other.Inode;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int directory, string path, int flags, uint mask, out StatxBuffer buffer);

    /// <summary>The kernel's <c>struct statx</c>: fixed-size fields, so one layout serves every architecture.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(32)]
        public ulong Inode;

        [FieldOffset(136)]
        public uint DeviceMajor;

        [FieldOffset(140)]
        public uint DeviceMinor;
    }
}
