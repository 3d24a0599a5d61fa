using System.Globalization;
using System.Text;

namespace OpenBao.Emulator.Internal.Formatting;

/// <summary>Go's <c>time.Duration</c> text forms, which appear verbatim in OpenBao warnings and inputs.</summary>
internal static class GoDuration
{
    /// <summary>Go's <c>Duration.String()</c>: <c>1h0m0s</c>, <c>1m30s</c>, <c>1.5s</c>, <c>250ms</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var builder = new StringBuilder();
        if (value < TimeSpan.Zero)
        {
            builder.Append('-');
            value = value.Duration();
        }

        if (value < TimeSpan.FromSeconds(1))
        {
            return builder.Append(FormatSubSecond(value)).ToString();
        }

        var wholeSeconds = value.Ticks / TimeSpan.TicksPerSecond;
        var fraction = value.Ticks % TimeSpan.TicksPerSecond;
        var hours = wholeSeconds / 3600;
        var minutes = wholeSeconds / 60 % 60;
        var seconds = wholeSeconds % 60;
        if (hours > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (hours > 0 || minutes > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{minutes}m");
        }

        builder.Append(CultureInfo.InvariantCulture, $"{seconds}");
        if (fraction > 0)
        {
            builder.Append('.').Append(fraction.ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0'));
        }

        return builder.Append('s').ToString();
    }

    /// <summary>OpenBao's <c>humanDuration</c>: Go's form without zero minutes and seconds (<c>1h</c>, <c>2h5s</c>).</summary>
    public static string Human(TimeSpan value)
    {
        var text = Format(value);
        if (text.EndsWith("m0s", StringComparison.Ordinal))
        {
            text = text[..^2];
        }

        var index = text.IndexOf("h0m", StringComparison.Ordinal);
        if (index > 0)
        {
            text = text[..(index + 1)] + text[(index + 3)..];
        }

        return text;
    }

    /// <summary>
    /// OpenBao's <c>ParseDurationSecond</c> for strings: bare numbers are seconds, otherwise Go units
    /// (<c>ns us ms s m h</c>) plus <c>d</c> for days, e.g. <c>1h30m</c>.
    /// </summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        text = text.Trim();
        if (text.Length == 0)
        {
            return false;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bareSeconds))
        {
            value = TimeSpan.FromSeconds(bareSeconds);
            return true;
        }

        var negative = text[0] == '-';
        var rest = text.AsSpan(negative || text[0] == '+' ? 1 : 0);
        if (rest.IsEmpty)
        {
            return false;
        }

        double totalTicks = 0;
        while (!rest.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < rest.Length && (char.IsAsciiDigit(rest[numberLength]) || rest[numberLength] == '.'))
            {
                numberLength++;
            }

            if (numberLength == 0
                || !double.TryParse(rest[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            rest = rest[numberLength..];
            var unitLength = 0;
            while (unitLength < rest.Length && !char.IsAsciiDigit(rest[unitLength]) && rest[unitLength] != '.')
            {
                unitLength++;
            }

            var ticksPerUnit = UnitTicks(rest[..unitLength]);
            if (ticksPerUnit == 0)
            {
                return false;
            }

            totalTicks += number * ticksPerUnit;
            rest = rest[unitLength..];
        }

        value = TimeSpan.FromTicks((long)(negative ? -totalTicks : totalTicks));
        return true;
    }

    private static double UnitTicks(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 0.01,
        "us" or "µs" => TimeSpan.TicksPerMicrosecond,
        "ms" => TimeSpan.TicksPerMillisecond,
        "s" => TimeSpan.TicksPerSecond,
        "m" => TimeSpan.TicksPerMinute,
        "h" => TimeSpan.TicksPerHour,
        "d" => TimeSpan.TicksPerDay,
        _ => 0,
    };

    private static string FormatSubSecond(TimeSpan value)
    {
        var nanoseconds = value.Ticks * 100;
        return nanoseconds switch
        {
            < 1_000 => $"{nanoseconds}ns",
            < 1_000_000 => Decimal(nanoseconds, 1_000) + "µs",
            _ => Decimal(nanoseconds, 1_000_000) + "ms",
        };
    }

    private static string Decimal(long nanoseconds, long unit) =>
        ((decimal)nanoseconds / unit).ToString("0.#########", CultureInfo.InvariantCulture);
}
