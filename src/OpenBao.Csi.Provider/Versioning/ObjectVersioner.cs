using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using OpenBao.Csi.Provider.Rendering;

namespace OpenBao.Csi.Provider.Versioning;

/// <summary>
/// base64url(HMAC-SHA256(key, object config + content)). Versions are stored where many users can
/// read them, so they must change with the content yet reveal nothing about it: only the keyed hash does both.
/// </summary>
internal static class ObjectVersioner
{
    public static string Compute(byte[] key, RenderedFile file)
    {
        var config = CanonicalConfig(file);
        var content = file.VersionInput ?? file.Contents;
        // One native HMAC call over config and content together: a keyed context per file cost more than the hashing.
        var input = new byte[config.WrittenCount + content.Length];
        config.WrittenSpan.CopyTo(input);
        content.CopyTo(input.AsSpan(config.WrittenCount));
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, input, hash);
        return Base64Url.EncodeToString(hash);
    }

    // Fixed field order so equal configs hash equally in every process and on every node.
    private static ArrayBufferWriter<byte> CanonicalConfig(RenderedFile file)
    {
        var secret = file.Source;
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("objectName", secret.ObjectName);
            writer.WriteString("secretPath", secret.SecretPath);
            writer.WriteString("query", secret.Query);
            writer.WriteString("secretKey", secret.SecretKey);
            writer.WriteString("method", secret.Method);
            writer.WriteString("secretArgs", secret.SecretArgs);
            writer.WriteString("encoding", secret.Encoding.ToString());
            writer.WriteNumber("mode", file.Mode);
            // Written only when set, so files without them keep the versions they had before these fields existed.
            if (secret.Format is { } format)
            {
                writer.WriteString("format", format);
            }

            if (secret.Keys is { } keys)
            {
                writer.WriteStartArray("keys");
                foreach (var key in keys)
                {
                    writer.WriteStringValue(key);
                }

                writer.WriteEndArray();
            }

            if (secret.Template is { } template)
            {
                writer.WriteString("template", template.Text);
            }

            if (secret.Pkcs12Password is { } password)
            {
                writer.WriteString("pkcs12Password", password);
            }

            writer.WriteEndObject();
        }

        return buffer;
    }
}
