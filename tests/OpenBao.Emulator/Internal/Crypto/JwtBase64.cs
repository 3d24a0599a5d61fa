using System.Diagnostics.CodeAnalysis;

namespace OpenBao.Emulator.Internal.Crypto;

/// <summary>Unpadded base64url, the JWT segment encoding.</summary>
internal static class JwtBase64
{
    public static string Encode(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    public static bool TryDecode(string text, [NotNullWhen(true)] out byte[]? bytes)
    {
        try
        {
            bytes = System.Buffers.Text.Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = null;
            return false;
        }
    }
}
