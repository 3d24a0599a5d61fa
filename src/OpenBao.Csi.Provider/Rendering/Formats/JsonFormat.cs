using System.Text.Json;
using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Rendering;

/// <summary><c>format: json</c>: one JSON object of the secret's keys, values as OpenBao stored them.</summary>
internal sealed class JsonFormat : IFileFormat
{
    public string Name => "json";

    public bool SelectsKeys => true;

    public byte[] Render(SecretObject secret, JsonElement data)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, RelaxedJson.Writer(indented: true)))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in SecretEntries.Select(secret, data))
            {
                writer.WritePropertyName(key);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
