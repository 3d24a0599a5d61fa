using System.Globalization;
using System.Security.Cryptography;
using OpenBao.Emulator.Internal.Http;

namespace OpenBao.Emulator.Internal.Engines;

/// <summary>
/// A transit mount of <c>aes256-gcm96</c> keys at version 1. Ciphertext is OpenBao's:
/// <c>vault:v1:</c> + base64(nonce ‖ ciphertext ‖ tag).
/// </summary>
internal sealed class TransitBackend : IBackend
{
    private const string Prefix = "vault:v";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int LatestVersion = 1;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public void AddKey(string name)
    {
        lock (_gate)
        {
            _keys[name] = RandomNumberGenerator.GetBytes(32);
        }
    }

    public string Encrypt(string keyName, byte[] plaintext)
    {
        var key = FindKey(keyName) ?? throw new InvalidOperationException($"Transit key \"{keyName}\" does not exist.");
        var sealedBytes = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize, plaintext.Length), sealedBytes.AsSpan(NonceSize + plaintext.Length));
        return $"{Prefix}{LatestVersion}:{Convert.ToBase64String(sealedBytes)}";
    }

    public ApiResult Handle(ApiRequest request, string path)
    {
        if (!path.StartsWith("decrypt/", StringComparison.Ordinal) || path.Length == "decrypt/".Length)
        {
            return ApiResult.UnsupportedPath();
        }

        return request.Operation == Operation.Update ? Decrypt(request, path["decrypt/".Length..]) : ApiResult.UnsupportedOperation();
    }

    /// <summary>Checks in the order of OpenBao's decrypt path, each with its message.</summary>
    private ApiResult Decrypt(ApiRequest request, string keyName)
    {
        var ciphertext = request.Fields.GetString("ciphertext");
        if (ciphertext.Length == 0)
        {
            return ApiResult.BadRequest("missing ciphertext to decrypt");
        }

        var context = request.Fields.GetString("context");
        if (context.Length > 0 && !TryDecodeBase64(context, out _))
        {
            return ApiResult.BadRequest("illegal base64 data at input byte 0");
        }

        if (FindKey(keyName) is not { } key)
        {
            return ApiResult.BadRequest("encryption key not found");
        }

        if (!ciphertext.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return ApiResult.BadRequest("invalid ciphertext: no prefix");
        }

        var parts = ciphertext[Prefix.Length..].Split(':', 2);
        if (parts.Length != 2)
        {
            return ApiResult.BadRequest("invalid ciphertext: wrong number of fields");
        }

        if (!int.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var version))
        {
            return ApiResult.BadRequest("invalid ciphertext: version number could not be decoded");
        }

        if (version > LatestVersion)
        {
            return ApiResult.BadRequest("invalid ciphertext: version is too new");
        }

        if (!TryDecodeBase64(parts[1], out var sealedBytes))
        {
            return ApiResult.BadRequest("invalid ciphertext: could not decode base64");
        }

        if (sealedBytes.Length < NonceSize)
        {
            return ApiResult.BadRequest("invalid ciphertext length");
        }

        var body = sealedBytes.AsSpan(NonceSize);
        if (body.Length < TagSize)
        {
            return ApiResult.BadRequest("cipher: message authentication failed");
        }

        var plaintext = new byte[body.Length - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), body[..^TagSize], body[^TagSize..], plaintext);
        }
        catch (AuthenticationTagMismatchException)
        {
            return ApiResult.BadRequest("cipher: message authentication failed");
        }

        return new EnvelopeResult { Data = new Dictionary<string, object?> { ["plaintext"] = Convert.ToBase64String(plaintext) } };
    }

    private static bool TryDecodeBase64(string text, out byte[] bytes)
    {
        var buffer = new byte[text.Length];
        var ok = Convert.TryFromBase64String(text, buffer, out var written);
        bytes = ok ? buffer[..written] : [];
        return ok;
    }

    private byte[]? FindKey(string name)
    {
        lock (_gate)
        {
            return _keys.GetValueOrDefault(name);
        }
    }
}
