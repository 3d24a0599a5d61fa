using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OpenBao.Csi.Provider.Internal;

/// <summary>What YamlDotNet throws for malformed input besides <see cref="YamlException"/>.</summary>
internal static class YamlErrors
{
    /// <summary>
    /// Its scanner and parser throw these on some malformed input (a tag that is not a URI, for one); their
    /// messages are fixed texts that never echo the document.
    /// </summary>
    public static bool IsMalformedInput(Exception exception) => exception is InvalidOperationException or ArgumentException;

    /// <summary>A YAML stream; malformed input always comes out as a <see cref="YamlException"/> that says where.</summary>
    /// <exception cref="YamlException">The text is not YAML.</exception>
    public static YamlStream Load(TextReader reader)
    {
        var parser = new Parser(reader);
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (Exception ex) when (IsMalformedInput(ex))
        {
            throw Located(parser, ex);
        }

        return stream;
    }

    /// <summary>Where and what: "(line L, column C): message".</summary>
    public static string Describe(YamlException error) => $"(line {error.Start.Line}, column {error.Start.Column}): {error.Message}";

    /// <summary>A malformed-input exception as a <see cref="YamlException"/> at the last place the parser got to.</summary>
    public static YamlException Located(IParser parser, Exception malformed)
    {
        // An invalid operation's message ("Operation is not valid due to the current state of the object") says nothing.
        var at = parser.Current?.End ?? Mark.Empty;
        var message = malformed is InvalidOperationException
            ? "the YAML parser cannot go on after this point (an unclosed bracket or quote, or a flow value with a key after it)"
            : malformed.Message;
        return new YamlException(at, at, message, malformed);
    }
}
