namespace Kubernetes.Emulator;

/// <summary>
/// Go's time.Parse for the two layouts timestamps arrive in: metav1.Time (RFC 3339, any fraction accepted
/// and dropped on the wire) and metav1.MicroTime (exactly six fractional digits). Errors carry Go's text,
/// which the API server passes through into a decode error.
/// </summary>
internal static class GoTime
{
    public const string Rfc3339 = "2006-01-02T15:04:05Z07:00";
    public const string Rfc3339Micro = "2006-01-02T15:04:05.000000Z07:00";

    private static readonly string[] Rfc3339Elements = ["2006", "-", "01", "-", "02", "T", "15", ":", "04", ":", "05", "Z07:00"];
    private static readonly string[] Rfc3339MicroElements = ["2006", "-", "01", "-", "02", "T", "15", ":", "04", ":", "05", ".000000", "Z07:00"];

    /// <returns>The instant, or Go's error text.</returns>
    public static (DateTimeOffset Value, string? Error) Parse(string layout, string value)
    {
        var elements = layout == Rfc3339Micro ? Rfc3339MicroElements : Rfc3339Elements;
        var rest = value;
        int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
        long fractionTicks = 0;
        var offset = TimeSpan.Zero;
        foreach (var element in elements)
        {
            var hold = rest;
            var ok = true;
            string? range = null;
            switch (element)
            {
                case "2006":
                    ok = rest.Length >= 4 && rest[..4].All(char.IsAsciiDigit);
                    if (ok)
                    {
                        year = int.Parse(rest[..4], System.Globalization.CultureInfo.InvariantCulture);
                        rest = rest[4..];
                    }

                    break;
                case "01":
                    ok = TryNumber(ref rest, fixedWidth: true, out month);
                    range = ok && month is < 1 or > 12 ? "month" : null;
                    break;
                case "02":
                    // Any two digits here; the day is checked against the month at the end.
                    ok = TryNumber(ref rest, fixedWidth: true, out day);
                    break;
                case "15":
                    ok = TryNumber(ref rest, fixedWidth: false, out hour);
                    range = ok && hour > 23 ? "hour" : null;
                    break;
                case "04":
                    ok = TryNumber(ref rest, fixedWidth: true, out minute);
                    range = ok && minute > 59 ? "minute" : null;
                    break;
                case "05":
                    ok = TryNumber(ref rest, fixedWidth: true, out second);
                    range = ok && second > 59 ? "second" : null;

                    // A layout without a fraction still takes one from the value, as many digits as it has.
                    if (ok && layout == Rfc3339 && rest.Length >= 2 && rest[0] is '.' or ',' && char.IsAsciiDigit(rest[1]))
                    {
                        var digits = rest[1..].TakeWhile(char.IsAsciiDigit).Count();
                        fractionTicks = FractionTicks(rest.Substring(1, digits));
                        rest = rest[(1 + digits)..];
                    }

                    break;
                case ".000000":
                    ok = rest.Length >= 7 && rest[0] is '.' or ',' && rest[1..7].All(char.IsAsciiDigit);
                    if (ok)
                    {
                        fractionTicks = FractionTicks(rest[1..7]);
                        rest = rest[7..];
                    }

                    break;
                case "Z07:00":
                    (ok, range) = TryZone(ref rest, out offset);
                    break;
                default:
                    ok = rest.Length > 0 && rest[0] == element[0];
                    if (ok)
                    {
                        rest = rest[1..];
                    }

                    break;
            }

            if (range is not null)
            {
                return (default, $"parsing time {GoFormat.Quote(value)}: {range} out of range");
            }

            if (!ok)
            {
                return (default, $"parsing time {GoFormat.Quote(value)} as {GoFormat.Quote(layout)}: cannot parse {GoFormat.Quote(hold)} as {GoFormat.Quote(element)}");
            }
        }

        if (rest.Length > 0)
        {
            return (default, $"parsing time {GoFormat.Quote(value)}: extra text: {GoFormat.Quote(rest)}");
        }

        // Go's years start at 0 and .NET's at 1; the fake has no use for the first.
        if (year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return (default, $"parsing time {GoFormat.Quote(value)}: day out of range");
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(fractionTicks);
        return (new DateTimeOffset(local - offset, TimeSpan.Zero), null);
    }

    /// <summary>Go's getnum: one or two digits, or exactly two when fixed.</summary>
    private static bool TryNumber(ref string rest, bool fixedWidth, out int value)
    {
        value = 0;
        if (rest.Length == 0 || !char.IsAsciiDigit(rest[0]))
        {
            return false;
        }

        if (rest.Length < 2 || !char.IsAsciiDigit(rest[1]))
        {
            if (fixedWidth)
            {
                return false;
            }

            value = rest[0] - '0';
            rest = rest[1..];
            return true;
        }

        value = ((rest[0] - '0') * 10) + (rest[1] - '0');
        rest = rest[2..];
        return true;
    }

    /// <summary>Z, or ±hh:mm with hours up to 24 and minutes up to 60 as Go allows.</summary>
    private static (bool Ok, string? Range) TryZone(ref string rest, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (rest.StartsWith('Z'))
        {
            rest = rest[1..];
            return (true, null);
        }

        if (rest.Length < 6 || rest[3] != ':' || rest[0] is not ('+' or '-'))
        {
            return (false, null);
        }

        var hours = rest[1..3];
        var minutes = rest[4..6];
        if (!TryNumber(ref hours, fixedWidth: true, out var hh) || !TryNumber(ref minutes, fixedWidth: true, out var mm))
        {
            return (false, null);
        }

        if (hh > 24)
        {
            return (true, "time zone offset hour");
        }

        if (mm > 60)
        {
            return (true, "time zone offset minute");
        }

        offset = new TimeSpan(hh, mm, 0) * (rest[0] == '-' ? -1 : 1);
        rest = rest[6..];
        return (true, null);
    }

    /// <summary>Nanosecond digits as .NET ticks; Go keeps nanoseconds, but the wire forms keep at most micros.</summary>
    private static long FractionTicks(string digits)
    {
        var sevenDigits = digits.Length >= 7 ? digits[..7] : digits.PadRight(7, '0');
        return long.Parse(sevenDigits, System.Globalization.CultureInfo.InvariantCulture);
    }
}
