using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OpenBao.Csi.Provider.Grpc;

namespace OpenBao.Csi.Provider.Hosting;

/// <summary>
/// Gives back what start-up alone needed. The collection returns start-up garbage. The kernel maps the
/// binary's pages in 64 KiB windows around every page touched, so starting (configuration, DI, Kestrel)
/// leaves nearly all of the NativeAOT binary resident and charged to the pod's memory, though a mount
/// runs a small part of it; paging the binary's clean pages out lets only what mounts use come back.
/// </summary>
internal static partial class StartupMemory
{
    private const int MadvPageout = 21;

    /// <summary>
    /// Releases once mounts have been quiet for a second (checked every second): a compacting collection in
    /// the middle of a burst of mounts would add its own copy of the live heap to the burst's peak.
    /// </summary>
    /// <returns>The timer; it is disposed once the release has run.</returns>
    public static ITimer Schedule(TimeProvider time, MountActivity activity, Action release)
    {
        var interval = TimeSpan.FromSeconds(1);
        ITimer? timer = null;
        var done = 0;
        timer = time.CreateTimer(
            _ =>
            {
                if (activity.QuietFor(interval) && Interlocked.Exchange(ref done, 1) == 0)
                {
                    release();
                    timer?.Dispose();
                }
            },
            null,
            interval,
            interval);
        return timer;
    }

    public static void Release()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        // Under the JIT the process is `dotnet`, whose pages are not ours to judge.
        if (RuntimeFeature.IsDynamicCodeSupported || Environment.ProcessPath is not { } binary || !OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                // "start-end perms offset device inode path": read-only or executable mappings of the binary are clean file pages.
                var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length == 6 && fields[5] == binary && fields[1][1] != 'w')
                {
                    var range = fields[0].Split('-');
                    var start = long.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    var end = long.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    // Older kernels (before 5.4) refuse the advice; nothing is lost but the saving.
                    _ = madvise((nint)start, (nuint)(end - start), MadvPageout);
                }
            }
        }
        catch (IOException)
        {
        }
    }

    [LibraryImport("libc")]
    private static partial int madvise(nint address, nuint length, int advice);
}
