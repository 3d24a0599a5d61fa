using System.Text;
using CsCheck;

namespace OpenBao.Csi.Provider.Tests.Properties;

/// <summary>Generators of hostile input: JSON of every wrong shape, YAML token soup, mutated bytes.</summary>
internal static class HostileGen
{
    private static readonly string[] Keys =
    [
        "data", "auth", "client_token", "lease_duration", "lease_id", "renewable", "warnings", "errors", "metadata",
        "certificate", "serial_number", "expiration", "password", "version", "destroyed", "deletion_time", "", "é",
    ];

    private static readonly string[] Scalars =
    [
        "null", "true", "false", "0", "-1", "1.5", "-0", "1e400", "-1e400", "123456789012345678901234567890", "9223372036854775808",
        "\"\"", "\"s.not-a-real-token\"", "\"\\ud800\"", "\"line\\nbreak\"", "\"\\u0000\"", "\"ünïcödé 🔑\"", "\"$HOME'\\\"\\\\\"",
        "\"3600\"", "\"" + new string('x', 300) + "\"",
    ];

    public static readonly Gen<string> Scalar = Gen.OneOf(Scalars);

    public static readonly Gen<string> Key = Gen.Frequency((4, Gen.OneOf(Keys)), (1, Gen.String[0, 8]));

    /// <summary>A JSON value up to <paramref name="depth"/> levels of arrays and objects.</summary>
    public static Gen<string> Json(int depth) => depth <= 0
        ? Scalar
        : Gen.Frequency(
            (3, Scalar),
            (1, Json(depth - 1).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
            (2, Gen.Select(Key, Json(depth - 1)).Array[0, 5].Select(members =>
                "{" + string.Join(",", members.Select(m => $"{Quote(m.Item1)}:{m.Item2}")) + "}")));

    /// <summary>Nesting far past any parser's comfort.</summary>
    public static readonly Gen<string> DeepJson = Gen.Int[60, 3000].Select(n => new string('[', n) + new string(']', n));

    /// <summary>Bytes as they might arrive: JSON, truncated JSON, invalid UTF-8, nothing.</summary>
    public static readonly Gen<byte[]> Body = Gen.Frequency(
        (6, Json(4).Select(Encoding.UTF8.GetBytes)),
        (1, DeepJson.Select(Encoding.UTF8.GetBytes)),
        (2, Gen.Select(Json(4), Gen.Int[0, 40]).Select(t => Encoding.UTF8.GetBytes(t.Item1)[..Math.Min(t.Item2, Encoding.UTF8.GetByteCount(t.Item1))])),
        (1, Gen.Byte.Array[0, 64]),
        (1, Gen.Const(new byte[] { (byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}' })),
        (1, Gen.Const(Array.Empty<byte>())));

    private static readonly string[] YamlTokens =
    [
        "- ", "objectName: ", "secretPath: ", "secretKey: ", "method: ", "secretArgs: ", "encoding: ", "filePermission: ", "leasePolicy: ",
        "a", "p", "0644", "POST", "base64", "reissue", ":", "{", "}", "[", "]", ",", "&x ", "*x", "\n", "  ", "    ", "\t", "'", "\"", "#",
        "!!binary ", "!tag ", "%YAML 1.2\n", "---\n", "...\n", "? ", "| ", "> ", "~", "null", "1e999", "ü", "\u0000", "\\", "../",
    ];

    public static readonly Gen<string> YamlSoup = Gen.OneOf(YamlTokens).Array[0, 60].Select(string.Concat);

    /// <summary><paramref name="valid"/> with characters inserted, removed or replaced at random places.</summary>
    public static Gen<string> Mutated(string valid) =>
        Gen.Select(Gen.Int[0, valid.Length], Gen.Int[0, 3], Gen.OneOf(YamlTokens)).Array[1, 6].Select(edits =>
        {
            var text = new StringBuilder(valid);
            foreach (var (at, kind, token) in edits)
            {
                var position = Math.Min(at, text.Length);
                switch (kind)
                {
                    case 0:
                        text.Insert(position, token);
                        break;
                    case 1 when position < text.Length:
                        text.Remove(position, 1);
                        break;
                    default:
                        text.Insert(position, token).Remove(Math.Min(position + token.Length, text.Length - 1), 1);
                        break;
                }
            }

            return text.ToString();
        });

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
