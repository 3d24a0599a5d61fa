using System.Text;
using System.Text.Json;
using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Rendering;

/// <summary>Turns an OpenBao response into one object's file contents: secretKey lookup, KV v2 unwrapping, encodings.</summary>
internal static class SecretRenderer
{
    /// <summary>
    /// Every file of a mount in the objects' order. Templates are rendered last, because they read the
    /// text of the other objects; objects with <c>render: false</c> only feed templates and make no file.
    /// </summary>
    public static IReadOnlyList<RenderedFile> RenderAll(IReadOnlyList<SecretObject> objects, IReadOnlyDictionary<SecretObject, JsonElement> responses, int defaultMode)
    {
        var plain = new Dictionary<SecretObject, RenderedFile>(objects.Count, ReferenceEqualityComparer.Instance);
        foreach (var secret in objects)
        {
            if (secret.Template is null)
            {
                plain[secret] = Render(secret, responses[secret], defaultMode);
            }
        }

        var files = new List<RenderedFile>(objects.Count);
        Dictionary<string, string>? texts = null;
        foreach (var secret in objects)
        {
            if (!secret.Render)
            {
                continue;
            }

            if (plain.TryGetValue(secret, out var file))
            {
                files.Add(file);
                continue;
            }

            // Decoded only for a mount with templates: the others would pay for every file's text on every poll.
            texts ??= plain.ToDictionary(pair => pair.Key.ObjectName, pair => Encoding.UTF8.GetString(pair.Value.Contents), StringComparer.Ordinal);
            files.Add(RenderTemplate(secret, responses.TryGetValue(secret, out var response) ? response : null, texts, defaultMode));
        }

        return files;
    }

    private static RenderedFile RenderTemplate(SecretObject secret, JsonElement? response, IReadOnlyDictionary<string, string> objects, int defaultMode)
    {
        JsonElement? stored = response is { } answer ? Stored(DataOf(secret, answer)) : null;

        var text = secret.Template!.Render(secret.ObjectName, stored, objects);
        // The version follows the inputs: this object's data and the text of every object the template could read.
        var inputs = new StringBuilder(stored?.GetRawText() ?? "null");
        foreach (var (name, content) in objects.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            inputs.Append('\0').Append(name).Append('\0').Append(content);
        }

        return new RenderedFile(secret, secret.FileMode ?? defaultMode, Encoding.UTF8.GetBytes(text), Encoding.UTF8.GetBytes(inputs.ToString()));
    }

    public static RenderedFile Render(SecretObject secret, JsonElement response, int defaultMode)
    {
        var data = DataOf(secret, response);
        var mode = secret.FileMode ?? defaultMode;
        if (secret.Format is { } name)
        {
            var format = FileFormats.Find(name) ?? throw new RenderException($"object '{secret.ObjectName}': format '{name}' is unknown", keyMissing: false);
            var stored = Stored(data);
            // The version follows what the file is made from: a PKCS#12 is encrypted with fresh randomness on every export,
            // and a restarted provider exports again.
            return new RenderedFile(secret, mode, format.Render(secret, stored), Encoding.UTF8.GetBytes(stored.GetRawText()));
        }

        // Values keep the text OpenBao sent: re-serialising would escape '+' in every PEM line.
        var contents = secret.SecretKey is null
            ? GoSecretJson.Of(response)
            : Decode(secret, SelectValue(secret, data));
        return new RenderedFile(secret, mode, contents);
    }

    private static JsonElement DataOf(SecretObject secret, JsonElement response) => response switch
    {
        { ValueKind: JsonValueKind.Object } when response.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object => data,
        // Endpoints that answer plain JSON (the OIDC provider's keys, for one) have no envelope: like the Go client, take the body as the data.
        { ValueKind: JsonValueKind.Object } when !GoSecretJson.HasEnvelope(response) => response,
        // An empty answer (204, or data: null) would become an empty or "null" file; the driver keeps the old files on an error.
        _ => throw new RenderException($"object '{secret.ObjectName}': OpenBao returned no data for {secret.Method} {secret.SecretPath}", keyMissing: true),
    };

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
