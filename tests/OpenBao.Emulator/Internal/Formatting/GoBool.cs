namespace OpenBao.Emulator.Internal.Formatting;

/// <summary>Go's <c>strconv.ParseBool</c>, which OpenBao uses for query flags such as <c>list</c> and for bool fields given as text.</summary>
internal static class GoBool
{
    /// <returns>Null when Go would refuse the text.</returns>
    public static bool? Parse(string text) => text switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };
}
