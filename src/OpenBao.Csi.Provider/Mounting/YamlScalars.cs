using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OpenBao.Csi.Provider.Mounting;

/// <summary>How Go's YAML (yaml.v3, which the Go providers read SecretProviderClass objects with) types a scalar.</summary>
internal static class YamlScalars
{
    private const string NullTag = "tag:yaml.org,2002:null";
    private const string StringTag = "tag:yaml.org,2002:str";

    /// <summary>Nothing, which Go decodes as a field's zero value: an explicit <c>!!null</c>, or a plain untagged null word.</summary>
    public static bool IsNull(YamlNode node) => node is YamlScalarNode scalar
        && (Tagged(scalar, NullTag) || (scalar.Tag.IsEmpty && scalar.Style == ScalarStyle.Plain && IsNullWord(scalar.Value)));

    public static bool IsNullWord(string? text) => text is null or "" or "~" or "null" or "Null" or "NULL";

    /// <summary>A string whatever it spells: quoted or block, tagged <c>!!str</c>, or with the non-specific <c>!</c>.</summary>
    public static bool IsString(YamlScalarNode scalar) => scalar.Style != ScalarStyle.Plain || scalar.Tag.IsNonSpecific || Tagged(scalar, StringTag);

    /// <summary>An integer as Go's YAML reads one: decimal, 0x hex, 0b binary, 0o or leading-zero octal, underscores dropped.</summary>
    public static bool TryParseInteger(string text, out long value)
    {
        var negative = text.StartsWith('-');
        var digits = (negative || text.StartsWith('+') ? text[1..] : text).Replace("_", string.Empty, StringComparison.Ordinal);
        var parsed = digits switch
        {
            ['0', 'x' or 'X', .. var hex] => long.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value),
            ['0', 'b' or 'B', .. var binary] => long.TryParse(binary, NumberStyles.AllowBinarySpecifier, CultureInfo.InvariantCulture, out value),
            ['0', 'o' or 'O', .. var octal] => TryParseOctal(octal, out value),
            ['0', _, ..] => TryParseOctal(digits[1..], out value),
            _ => long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value),
        };
        value = negative ? -value : value;
        return parsed;
    }

    private static bool TryParseOctal(string digits, out long value)
    {
        value = 0;
        if (digits.Length is 0 or > 21 || digits.Any(c => c is < '0' or > '7'))
        {
            return false;
        }

        foreach (var digit in digits)
        {
            value = (value * 8) + (digit - '0');
        }

        return true;
    }

    // An untagged scalar's tag cannot be read, only tested.
    private static bool Tagged(YamlScalarNode scalar, string tag) => scalar.Tag.IsGlobal && scalar.Tag.Value == tag;
}
