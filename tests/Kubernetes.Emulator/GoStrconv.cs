namespace Kubernetes.Emulator;

/// <summary>
/// Go's strconv parsing of query parameters and resourceVersions, with its exact error texts,
/// which the API server passes through into Status messages.
/// </summary>
internal static class GoStrconv
{
    /// <summary><c>strconv.ParseUint(s, 10, 64)</c>: ASCII digits only, no sign, no underscores.</summary>
    public static (ulong Value, string? Error) ParseUint(string s)
    {
        var (value, error) = Digits(s);
        return (value, error is null ? null : Message("ParseUint", s, error));
    }

    /// <summary><c>strconv.ParseInt(s, 10, 64)</c>: an optional sign, then what ParseUint accepts.</summary>
    public static (long Value, string? Error) ParseInt(string s)
    {
        var negative = s.StartsWith('-');
        var digits = s.Length > 0 && s[0] is '+' or '-' ? s[1..] : s;
        var (magnitude, error) = Digits(digits);
        if (error is null && magnitude > (negative ? (ulong)long.MaxValue + 1 : long.MaxValue))
        {
            error = "value out of range";
        }

        if (error is not null)
        {
            return (0, Message("ParseInt", s, error));
        }

        return (negative ? (long)(0 - magnitude) : (long)magnitude, null);
    }

    private static (ulong Value, string? Error) Digits(string s)
    {
        if (s.Length == 0 || !s.All(char.IsAsciiDigit))
        {
            return (0, "invalid syntax");
        }

        // Only overflow is left once every character is a digit.
        return ulong.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? (value, null)
            : (0, "value out of range");
    }

    private static string Message(string function, string input, string reason) =>
        $"strconv.{function}: parsing {GoFormat.Quote(input)}: {reason}";
}
