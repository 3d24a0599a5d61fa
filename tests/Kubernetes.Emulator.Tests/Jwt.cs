using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Kubernetes.Emulator.Tests;

/// <summary>Just enough JWT handling to check the fake's tokens without a JWT library.</summary>
internal static class Jwt
{
    public static bool VerifiesWith(string token, string publicKeyPem)
    {
        var parts = token.Split('.');
        using var key = RSA.Create();
        key.ImportFromPem(publicKeyPem);
        return parts.Length == 3 && key.VerifyData(
            Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"),
            Base64Url.DecodeFromChars(parts[2]),
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
    }

    public static JsonObject Header(string token) => Part(token, 0);

    public static JsonObject Payload(string token) => Part(token, 1);

    private static JsonObject Part(string token, int index) =>
        JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[index]))!.AsObject();
}
