using System.Diagnostics.Metrics;

namespace OpenBao.Csi.Provider.Metrics;

/// <summary>
/// The process figures every Prometheus client exports under the same names (resident memory, CPU,
/// open descriptors, start time), so existing node dashboards and alerts work on this process too.
/// </summary>
internal static class ProcessMetrics
{
    public static void Register(IMeterFactory meters, TimeProvider time)
    {
        var meter = meters.Create(ProviderMetrics.MeterName);
        // Taken as the host is built, milliseconds after exec: precise enough to see restarts.
        var started = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        meter.CreateObservableGauge("process.resident_memory", () => Environment.WorkingSet, "By", "Resident memory of the provider process.");
        meter.CreateObservableCounter("process.cpu", () => Environment.CpuUsage.TotalTime.TotalSeconds, "s", "User and system CPU time of the provider process.");
        meter.CreateObservableGauge("process.open_fds", CountOpenDescriptors, "{descriptor}", "Open file descriptors of the provider process.");
        meter.CreateObservableGauge("process.start_time", () => started, "s", "Start time of the provider process since the Unix epoch.");
    }

    private static IEnumerable<Measurement<int>> CountOpenDescriptors()
    {
        int count;
        try
        {
            count = Directory.EnumerateFileSystemEntries("/proc/self/fd").Count();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or /proc hidden: no figure rather than a wrong one.
            return [];
        }

        return [new Measurement<int>(count)];
    }
}
