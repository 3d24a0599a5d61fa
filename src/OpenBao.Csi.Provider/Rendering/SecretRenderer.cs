using System.Text;
using System.Text.Json;
using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Rendering;

/// <summary>Turns an OpenBao response into one object's file contents: secretKey lookup, KV v2 unwrapping, encodings.</summary>
internal static class SecretRenderer
{
    public static RenderedFile Render(SecretObject secret, JsonElement response, int defaultMode)
    {
        var data = response.ValueKind == JsonValueKind.Object && response.TryGetProperty("data", out var d) ? d : default;
        if (data.ValueKind != JsonValueKind.Object)
        {
            // An empty answer (204, or data: null) would become an empty or "null" file; the driver keeps the old files on an error.
            throw new RenderException(
                $"object '{secret.ObjectName}': OpenBao returned no data for {secret.Method} {secret.SecretPath}",
                keyMissing: true);
        }

        var mode = secret.FileMode ?? defaultMode;
        if (secret.Format is { } name)
        {
            var format = FileFormats.Find(name) ?? throw new RenderException($"object '{secret.ObjectName}': format '{name}' is unknown", keyMissing: false);
            var stored = Stored(data);
            // The version follows what the file is made from: a PKCS#12 is encrypted with fresh randomness on every write.
            return new RenderedFile(secret, mode, format.Render(secret, stored), Encoding.UTF8.GetBytes(stored.GetRawText()));
        }

        // Raw bytes as OpenBao sent them: re-serialising would escape '+' in every PEM line.
        var contents = secret.SecretKey is null
            ? Encoding.UTF8.GetBytes(response.GetRawText())
            : Decode(secret, SelectValue(secret, data));
        return new RenderedFile(secret, mode, contents);
    }

    // KV v2 nests the stored map under data.data; like the Go provider, any object there is taken as that map.
    private static JsonElement Stored(JsonElement data) =>
        data.TryGetProperty("data", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : data;

    private static JsonElement SelectValue(SecretObject secret, JsonElement data)
    {
        if (!Stored(data).TryGetProperty(secret.SecretKey!, out var value))
        {
            throw new RenderException(
                $"object '{secret.ObjectName}': key '{secret.SecretKey}' does not exist in the secret at {secret.SecretPath}",
                keyMissing: true);
        }

        return value;
    }

    private static byte[] Decode(SecretObject secret, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            if (secret.Encoding != SecretEncoding.Utf8)
            {
                throw new RenderException(
                    $"object '{secret.ObjectName}': key '{secret.SecretKey}' holds a JSON {value.ValueKind.ToString().ToLowerInvariant()}, which cannot be decoded as {EncodingName(secret.Encoding)}",
                    keyMissing: false);
            }

            return Encoding.UTF8.GetBytes(value.GetRawText());
        }

        var text = value.GetString()!;
        try
        {
            return secret.Encoding switch
            {
                SecretEncoding.Base64 => Convert.FromBase64String(text),
                SecretEncoding.Hex => Convert.FromHexString(text),
                _ => Encoding.UTF8.GetBytes(text),
            };
        }
        catch (FormatException)
        {
            throw new RenderException(
                $"object '{secret.ObjectName}': the value of key '{secret.SecretKey}' is not valid {EncodingName(secret.Encoding)} (encoding: {EncodingName(secret.Encoding)})",
                keyMissing: false);
        }
    }

    private static string EncodingName(SecretEncoding encoding) => encoding switch
    {
        SecretEncoding.Base64 => "base64",
        SecretEncoding.Hex => "hex",
        _ => "utf-8",
    };
}
