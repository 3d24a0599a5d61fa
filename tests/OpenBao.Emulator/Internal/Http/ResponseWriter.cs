using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OpenBao.Emulator.Internal.Http;

/// <summary>Serialises results exactly as OpenBao's HTTP layer does, newline and headers included.</summary>
internal static class ResponseWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        // Go leaves '+', quotes and non-ASCII alone; the default encoder would escape them.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The body bytes, newline included where OpenBao writes one; null for 204.</summary>
    public static byte[]? Serialize(ApiResult result)
    {
        if (result is NoContentResult)
        {
            return null;
        }

        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            switch (result)
            {
                case ErrorResult error:
                    writer.WriteStartObject();
                    writer.WritePropertyName("errors");
                    JsonValueWriter.Write(writer, error.Errors);
                    writer.WriteEndObject();
                    break;
                case PlainJsonResult plain:
                    writer.WriteStartObject();
                    foreach (var (name, value) in plain.Members)
                    {
                        writer.WritePropertyName(name);
                        JsonValueWriter.Write(writer, value);
                    }

                    writer.WriteEndObject();
                    break;
                case EnvelopeResult envelope:
                    WriteEnvelope(writer, envelope);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown result type {result.GetType()}.");
            }
        }

        // Go's encoder ends a body with a newline; an envelope with another status than 200 comes from a
        // backend's RespondWithStatusCode, which OpenBao writes raw from json.Marshal, so without one.
        if (result is not EnvelopeResult { StatusCode: not 200 })
        {
            buffer.WriteByte((byte)'\n');
        }

        return EscapeForHtmlAsGoDoes(buffer.ToArray());
    }

    /// <summary>
    /// Go's encoder escapes &lt;, &gt; and &amp; (and U+2028, U+2029) in strings as \u003c, \u003e, \u0026, which
    /// the relaxed encoder leaves alone; none of them can stand outside a string in JSON.
    /// </summary>
    private static byte[] EscapeForHtmlAsGoDoes(byte[] json)
    {
        var escaped = new List<byte>(json.Length);
        for (var i = 0; i < json.Length; i++)
        {
            var escape = json[i] switch
            {
                (byte)'<' => "\\u003c",
                (byte)'>' => "\\u003e",
                (byte)'&' => "\\u0026",
                0xE2 when i + 2 < json.Length && json[i + 1] == 0x80 && json[i + 2] is 0xA8 or 0xA9 => json[i + 2] == 0xA8 ? "\\u2028" : "\\u2029",
                _ => null,
            };
            if (escape is null)
            {
                escaped.Add(json[i]);
                continue;
            }

            escaped.AddRange(System.Text.Encoding.ASCII.GetBytes(escape));
            i += json[i] == 0xE2 ? 2 : 0;
        }

        return [.. escaped];
    }

    public static async Task WriteAsync(HttpContext context, int statusCode, byte[]? body)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.Headers.CacheControl = "no-store";
        if (body is null)
        {
            return;
        }

        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static void WriteEnvelope(Utf8JsonWriter writer, EnvelopeResult envelope)
    {
        writer.WriteStartObject();
        writer.WriteString("request_id", Guid.NewGuid().ToString());
        writer.WriteString("lease_id", envelope.LeaseId);
        writer.WriteBoolean("renewable", envelope.Renewable);
        writer.WriteNumber("lease_duration", envelope.LeaseDuration);
        writer.WritePropertyName("data");
        JsonValueWriter.Write(writer, envelope.Data);
        writer.WriteNull("wrap_info");
        writer.WritePropertyName("warnings");
        JsonValueWriter.Write(writer, envelope.Warnings);
        writer.WritePropertyName("auth");
        if (envelope.Auth is { } auth)
        {
            WriteAuth(writer, auth);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteEndObject();
    }

    private static void WriteAuth(Utf8JsonWriter writer, AuthBlock auth)
    {
        writer.WriteStartObject();
        writer.WriteString("client_token", auth.ClientToken);
        writer.WriteString("accessor", auth.Accessor);
        writer.WritePropertyName("policies");
        JsonValueWriter.Write(writer, auth.Policies);
        if (auth.Policies.Count > 0)
        {
            // Tokens here carry no identity policies, so token_policies always equals policies.
            writer.WritePropertyName("token_policies");
            JsonValueWriter.Write(writer, auth.Policies);
        }

        writer.WritePropertyName("metadata");
        JsonValueWriter.Write(writer, auth.Metadata);
        writer.WriteNumber("lease_duration", auth.LeaseDuration);
        writer.WriteBoolean("renewable", auth.Renewable);
        writer.WriteString("entity_id", auth.EntityId);
        writer.WriteString("token_type", auth.TokenType);
        writer.WriteBoolean("orphan", true);
        writer.WriteNull("mfa_requirement");
        writer.WriteNumber("num_uses", 0);
        writer.WriteEndObject();
    }
}
