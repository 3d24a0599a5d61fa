using System.Globalization;

namespace OpenBao.Csi.Provider.Demo;

/// <summary>What Linux says about a process: memory, CPU time and which runtime it loaded.</summary>
internal static class ProcFs
{
    /// <summary>USER_HZ, the unit of utime and stime; 100 on every Linux architecture .NET runs on.</summary>
    private const double ClockTicksPerSecond = 100;

    /// <summary>Resident memory from <c>smaps_rollup</c>, which splits it into anonymous pages and mapped files; shared memory from <c>status</c>.</summary>
    public static ResidentMemory Memory(int pid)
    {
        var fields = Fields($"/proc/{pid}/smaps_rollup");
        return new ResidentMemory(Mebibytes(fields["Rss"]), Mebibytes(fields["Anonymous"]), StatusMebibytes(pid, "RssShmem"));
    }

    /// <summary>A <c>Vm…</c> line of <c>/proc/PID/status</c> in MiB, e.g. <c>VmHWM</c> (peak resident) or <c>VmRSS</c>.</summary>
    public static double StatusMebibytes(int pid, string field) => Mebibytes(Fields($"/proc/{pid}/status")[field]);

    /// <summary>User plus system CPU time of all the process's threads, at 10 ms resolution.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        // The command name in parentheses may hold spaces: fields are counted from after it.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);
    }

    /// <summary>A JIT build maps CoreCLR; a NativeAOT binary carries its runtime inside and maps no libcoreclr.</summary>
    public static bool MapsCoreClr(int pid) =>
        File.ReadLines($"/proc/{pid}/maps").Any(line => line.EndsWith("/libcoreclr.so", StringComparison.Ordinal));

    /// <summary>The 1, 5 and 15 minute load averages: on a shared machine they say how much the numbers can be trusted.</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]);

    private static Dictionary<string, string> Fields(string path) =>
        File.ReadLines(path)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim(), StringComparer.Ordinal);

    /// <summary>"123456 kB" to MiB.</summary>
    private static double Mebibytes(string kilobytes) =>
        double.Parse(kilobytes.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture) / 1024;
}
