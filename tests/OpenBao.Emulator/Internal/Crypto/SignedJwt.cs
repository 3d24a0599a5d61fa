using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace OpenBao.Emulator.Internal.Crypto;

/// <summary>A compact JWS split into its parts; the signature is not checked until asked.</summary>
internal sealed class SignedJwt
{
    private SignedJwt(string algorithm, JsonElement claims, byte[] signingInput, byte[] signature)
    {
        Algorithm = algorithm;
        Claims = claims;
        SigningInput = signingInput;
        Signature = signature;
    }

    public string Algorithm { get; }

    public JsonElement Claims { get; }

    public byte[] SigningInput { get; }

    public byte[] Signature { get; }

    /// <param name="error">Worded like go-jose, whose message OpenBao passes on.</param>
    public static bool TryParse(string compact, [NotNullWhen(true)] out SignedJwt? jwt, [NotNullWhen(false)] out string? error)
    {
        jwt = null;
        var parts = compact.Split('.');
        if (parts.Length != 3)
        {
            error = "go-jose/go-jose: compact JWS format must have three parts";
            return false;
        }

        if (!TryDecodeJsonObject(parts[0], out var header)
            || !header.TryGetProperty("alg", out var algorithm)
            || algorithm.ValueKind != JsonValueKind.String)
        {
            error = "go-jose/go-jose: invalid protected header";
            return false;
        }

        if (!TryDecodeJsonObject(parts[1], out var claims) || !JwtBase64.TryDecode(parts[2], out var signature))
        {
            error = "go-jose/go-jose: invalid payload";
            return false;
        }

        jwt = new SignedJwt(algorithm.GetString()!, claims, Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), signature);
        error = null;
        return true;
    }

    private static bool TryDecodeJsonObject(string segment, out JsonElement value)
    {
        value = default;
        if (!JwtBase64.TryDecode(segment, out var bytes))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            value = document.RootElement.Clone();
            return value.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
