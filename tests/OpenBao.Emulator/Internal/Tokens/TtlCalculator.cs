using OpenBao.Emulator.Internal.Formatting;

namespace OpenBao.Emulator.Internal.Tokens;

/// <summary>OpenBao's <c>framework.CalculateTTL</c> (without periodic tokens), warnings worded identically.</summary>
internal static class TtlCalculator
{
    /// <summary>Mount default and maximum lease TTL when nothing is tuned: 768h.</summary>
    public static readonly TimeSpan SystemDefault = TimeSpan.FromHours(768);

    public static readonly TimeSpan SystemMax = TimeSpan.FromHours(768);

    /// <param name="increment">What the client asked for; zero means the backend's TTL.</param>
    /// <param name="backendMax">Zero means the mount maximum.</param>
    /// <param name="start">When the lease or token was first issued; its max TTL counts from there.</param>
    public static TtlDecision Calculate(DateTimeOffset now, TimeSpan increment, TimeSpan backendTtl, TimeSpan backendMax, DateTimeOffset start)
    {
        // OpenBao truncates both instants to whole seconds, the finest TTL precision.
        now = TruncateToSeconds(now);
        start = TruncateToSeconds(start);

        var maxTtl = backendMax > TimeSpan.Zero && backendMax < SystemMax ? backendMax : SystemMax;
        var ttl = increment > TimeSpan.Zero ? increment
            : backendTtl > TimeSpan.Zero ? backendTtl
            : SystemDefault;

        var maxValidTtl = start + maxTtl - now;
        if (maxValidTtl <= TimeSpan.Zero)
        {
            return new TtlDecision(TimeSpan.Zero, [], "past the max TTL, cannot renew");
        }

        if (maxValidTtl < ttl)
        {
            var warning = $"TTL of \"{GoDuration.Human(ttl)}\" exceeded the effective max_ttl of \"{GoDuration.Human(maxValidTtl)}\"; TTL value is capped accordingly";
            return new TtlDecision(maxValidTtl, [warning], null);
        }

        return new TtlDecision(ttl, [], null);
    }

    /// <summary>Go's <c>Round(time.Second)</c>, which OpenBao applies to "now" when reporting a remaining TTL.</summary>
    public static DateTimeOffset RoundToSeconds(DateTimeOffset value) =>
        TruncateToSeconds(value.AddTicks(TimeSpan.TicksPerSecond / 2));

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
