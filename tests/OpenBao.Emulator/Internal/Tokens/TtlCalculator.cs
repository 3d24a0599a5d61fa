using OpenBao.Emulator.Internal.Formatting;

namespace OpenBao.Emulator.Internal.Tokens;

/// <summary>OpenBao's <c>framework.CalculateTTL</c>, warnings and errors worded identically.</summary>
internal static class TtlCalculator
{
    /// <summary>Mount default and maximum lease TTL when nothing is tuned: 768h.</summary>
    public static readonly TimeSpan SystemDefault = TimeSpan.FromHours(768);

    public static readonly TimeSpan SystemMax = TimeSpan.FromHours(768);

    /// <summary>A secret's lease: no period, no explicit maximum.</summary>
    public static TtlDecision Calculate(DateTimeOffset now, TimeSpan increment, TimeSpan backendTtl, TimeSpan backendMax, DateTimeOffset start) =>
        Calculate(now, increment, backendTtl, TimeSpan.Zero, backendMax, TimeSpan.Zero, start);

    /// <param name="increment">What the client asked for; zero means the backend's TTL. A period overrides it.</param>
    /// <param name="period">A periodic token's period: every grant is the period, with no limit on total life
    /// unless <paramref name="explicitMax"/> is set (the backend max only caps the period itself).</param>
    /// <param name="backendMax">Zero means the mount maximum.</param>
    /// <param name="explicitMax">A token's <c>explicit_max_ttl</c>; zero means none.</param>
    /// <param name="start">When the lease or token was first issued; its max TTL counts from there.</param>
    public static TtlDecision Calculate(
        DateTimeOffset now, TimeSpan increment, TimeSpan backendTtl, TimeSpan period, TimeSpan backendMax, TimeSpan explicitMax, DateTimeOffset start)
    {
        // OpenBao truncates both instants to whole seconds, the finest TTL precision.
        now = TruncateToSeconds(now);
        start = TruncateToSeconds(start);

        var maxTtl = SystemMax;
        if (backendMax > TimeSpan.Zero && backendMax < maxTtl)
        {
            maxTtl = backendMax;
        }

        if (explicitMax > TimeSpan.Zero && explicitMax < maxTtl)
        {
            maxTtl = explicitMax;
        }

        var warnings = new List<string>();
        TimeSpan ttl;
        DateTimeOffset? maxValidTime = null;
        if (period > TimeSpan.Zero)
        {
            if (period > maxTtl)
            {
                warnings.Add($"period of \"{GoDuration.Human(period)}\" exceeded the effective max_ttl of \"{GoDuration.Human(maxTtl)}\"; period value is capped accordingly");
                period = maxTtl;
            }

            ttl = period;
            if (explicitMax > TimeSpan.Zero)
            {
                maxValidTime = start + explicitMax;
            }
        }
        else
        {
            ttl = increment > TimeSpan.Zero ? increment
                : backendTtl > TimeSpan.Zero ? backendTtl
                : SystemDefault;
            maxValidTime = start + maxTtl;
        }

        if (maxValidTime is { } limit)
        {
            var maxValidTtl = limit - now;
            if (maxValidTtl <= TimeSpan.Zero)
            {
                return new TtlDecision(TimeSpan.Zero, [], "past the max TTL, cannot renew");
            }

            if (maxValidTtl < ttl)
            {
                warnings.Add($"TTL of \"{GoDuration.Human(ttl)}\" exceeded the effective max_ttl of \"{GoDuration.Human(maxValidTtl)}\"; TTL value is capped accordingly");
                ttl = maxValidTtl;
            }
        }

        return new TtlDecision(ttl, warnings, null);
    }

    /// <summary>Go's <c>Round(time.Second)</c>, which OpenBao applies to "now" when reporting a remaining TTL.</summary>
    public static DateTimeOffset RoundToSeconds(DateTimeOffset value) =>
        TruncateToSeconds(value.AddTicks(TimeSpan.TicksPerSecond / 2));

    /// <summary>Go's <c>Duration.Round(time.Second)</c> for non-negative durations.</summary>
    public static TimeSpan RoundToSeconds(TimeSpan value) =>
        TimeSpan.FromSeconds((value.Ticks + (TimeSpan.TicksPerSecond / 2)) / TimeSpan.TicksPerSecond);

    public static DateTimeOffset TruncateToSeconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
