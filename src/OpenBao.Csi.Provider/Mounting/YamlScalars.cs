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

    // An untagged scalar's tag cannot be read, only tested.
    private static bool Tagged(YamlScalarNode scalar, string tag) => scalar.Tag.IsGlobal && scalar.Tag.Value == tag;
}
