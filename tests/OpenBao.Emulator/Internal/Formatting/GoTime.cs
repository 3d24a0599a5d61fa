using System.Globalization;

namespace OpenBao.Emulator.Internal.Formatting;

/// <summary>Go's JSON form of <c>time.Time</c> (RFC 3339 with trailing zeros of the fraction dropped).</summary>
internal static class GoTime
{
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
