using System.Security.Cryptography;

namespace OpenBao.Emulator.Internal;

/// <summary>OpenBao's random identifiers (tokens, accessors, lease suffixes) use this alphabet.</summary>
internal static class Base62
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
