namespace OpenBao.Csi.Provider.Metrics;

/// <summary>
/// What an exchange with OpenBao ended with, as a small number and as a label value: an HTTP status, or no answer at
/// all. Counts are kept by number; the labels are made once, since a label string per request would be garbage per request.
/// </summary>
internal static class StatusLabels
{
    /// <summary>The connection failed or broke before an answer.</summary>
    public const int TransportError = 600;

    /// <summary>No answer within the request timeout.</summary>
    public const int Timeout = 601;

    private const int Other = 602;

    /// <summary>How many outcomes are counted apart: numbered from 0.</summary>
    public const int Count = 603;

    private static readonly string[] Labels =
        [.. Enumerable.Range(0, 600).Select(code => code.ToString(System.Globalization.CultureInfo.InvariantCulture)), "transport_error", "timeout", "other"];

    /// <summary>The outcome of an HTTP answer: its status, or "other" for a number outside HTTP's 100 to 599.</summary>
    public static int OfAnswer(int status) => status is >= 100 and < TransportError ? status : Other;

    public static string Label(int outcome) => Labels[outcome];
}
