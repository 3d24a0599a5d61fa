namespace OpenBao.Csi.Provider.Internal;

/// <summary>What YamlDotNet throws for malformed input besides <see cref="YamlDotNet.Core.YamlException"/>.</summary>
internal static class YamlErrors
{
    /// <summary>
    /// Its scanner and parser throw these on some malformed input (a tag that is not a URI, for one); their
    /// messages are fixed texts that never echo the document.
    /// </summary>
    public static bool IsMalformedInput(Exception exception) => exception is InvalidOperationException or ArgumentException;
}
