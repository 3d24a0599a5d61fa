namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>Durations and instants as OpenBao sends them (whole seconds), kept in a range the clock arithmetic survives.</summary>
internal static class OpenBaoDuration
{
    /// <summary>Far beyond any TTL OpenBao grants; a larger number is a broken answer, not a reason to overflow.</summary>
    private const long MaxSeconds = 100L * 366 * 24 * 3600;

    public static TimeSpan FromSeconds(long seconds) => TimeSpan.FromSeconds(Math.Clamp(seconds, 0, MaxSeconds));

    public static DateTimeOffset FromUnixSeconds(long seconds) =>
        DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
}
