namespace OpenBao.Csi.Provider.Metrics;

/// <summary>HTTP status codes as label values, made once: a label string per request would be garbage per request.</summary>
internal static class StatusLabels
{
    private static readonly string[] Codes = [.. Enumerable.Range(0, 600).Select(code => code.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public static string Of(int status) => status is >= 100 and < 600 ? Codes[status] : "other";
}
