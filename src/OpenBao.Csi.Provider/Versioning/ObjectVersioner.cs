using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using OpenBao.Csi.Provider.Mounting;
using OpenBao.Csi.Provider.Rendering;

namespace OpenBao.Csi.Provider.Versioning;

/// <summary>
/// base64url(HMAC-SHA256(key, object config + content)). Versions are stored where many users can
/// read them, so they must change with the content yet reveal nothing about it: only the keyed hash does both.
/// </summary>
internal static class ObjectVersioner
{
    /// <summary>
    /// The version last computed for each parsed object, with what it came from. A rotation poll mostly finds the
    /// same content again, and hashing it anew (through OpenSSL) was a tenth of a warm mount. The content is compared
    /// byte for byte, so changed content always gets a new version; entries live as long as the parsed object.
    /// </summary>
    private static readonly ConditionalWeakTable<SecretObject, Computed> Last = new();

    public static string Compute(byte[] key, RenderedFile file)
    {
        var input = file.VersionInput ?? file.Contents;
        if (Last.TryGetValue(file.Source, out var last) && last.Mode == file.Mode
            && last.Key.AsSpan().SequenceEqual(key) && last.Input.AsSpan().SequenceEqual(input))
        {
            return last.Version;
        }

        var version = Hash(key, file, input);
        Last.AddOrUpdate(file.Source, new Computed(key, file.Mode, input, version));
        return version;
    }

    private static string Hash(byte[] key, RenderedFile file, byte[] input)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(CanonicalConfig(file).WrittenSpan);
        hmac.AppendData(input);
        return Base64Url.EncodeToString(hmac.GetHashAndReset());
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
            // The enum's own names, as versions have always hashed them; spelt out, since a NativeAOT binary finds
            // an enum's name by reflection.
            writer.WriteString("encoding", secret.Encoding switch
            {
                SecretEncoding.Utf8 => nameof(SecretEncoding.Utf8),
                SecretEncoding.Base64 => nameof(SecretEncoding.Base64),
                SecretEncoding.Hex => nameof(SecretEncoding.Hex),
                _ => secret.Encoding.ToString(),
            });
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

    private sealed record Computed(byte[] Key, int Mode, byte[] Input, string Version);
}
