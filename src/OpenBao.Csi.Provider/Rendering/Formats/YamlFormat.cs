using System.Text;
using System.Text.Json;
using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Rendering;

/// <summary>
/// <c>format: yaml</c>: a mapping of the secret's keys. Keys and string values are written as
/// double-quoted scalars with JSON escapes, which YAML 1.2 reads exactly (no type guessing turns
/// "no" into false or "0123" into a number); nested values are JSON, which is YAML flow style.
/// </summary>
internal sealed class YamlFormat : IFileFormat
{
    public string Name => "yaml";

    public bool SelectsKeys => true;

    public byte[] Render(SecretObject secret, JsonElement data)
    {
        using var buffer = new MemoryStream();
        var entries = SecretEntries.Select(secret, data);
        foreach (var (key, value) in entries)
        {
            Write(buffer, Quote(key));
            Write(buffer, ": ");
            if (value.ValueKind == JsonValueKind.String)
            {
                Write(buffer, Quote(value.GetString()!));
            }
            else
            {
                using var writer = new Utf8JsonWriter(buffer, RelaxedJson.Writer(indented: false));
                value.WriteTo(writer);
            }

            buffer.WriteByte((byte)'\n');
        }

        if (entries.Count == 0)
        {
            Write(buffer, "{}\n");
        }

        return buffer.ToArray();
    }

    private static string Quote(string text) => $"\"{JsonEncodedText.Encode(text, RelaxedJson.Encoder)}\"";

    private static void Write(MemoryStream buffer, string text) => buffer.Write(Encoding.UTF8.GetBytes(text));
}
