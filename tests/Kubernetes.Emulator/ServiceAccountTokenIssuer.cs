using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Kubernetes.Emulator;

/// <summary>
/// Signs service account tokens the way kube-apiserver does: RS256 JWTs whose <c>kid</c> is the
/// base64url SHA-256 of the DER public key, carrying the <c>kubernetes.io</c> private claims.
/// </summary>
internal sealed class ServiceAccountTokenIssuer : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);

    public ServiceAccountTokenIssuer(string issuer)
    {
        Issuer = issuer;
        var publicKey = _key.ExportSubjectPublicKeyInfo();
        KeyId = Base64Url.EncodeToString(SHA256.HashData(publicKey));
        PublicKeyPem = _key.ExportSubjectPublicKeyInfoPem();
    }

    public string Issuer { get; }

    public string KeyId { get; }

    public string PublicKeyPem { get; }

    public string Issue(BoundToken token)
    {
        var header = new JsonObject { ["alg"] = "RS256", ["kid"] = KeyId };
        var kubernetes = new JsonObject
        {
            ["namespace"] = token.Namespace,
        };
        if (token.Pod is { } pod)
        {
            kubernetes["pod"] = new JsonObject { ["name"] = pod.Name, ["uid"] = pod.Uid };
        }

        if (token.Secret is { } secret)
        {
            kubernetes["secret"] = new JsonObject { ["name"] = secret.Name, ["uid"] = secret.Uid };
        }

        kubernetes["serviceaccount"] = new JsonObject { ["name"] = token.ServiceAccountName, ["uid"] = token.ServiceAccountUid };

        var issuedAt = token.IssuedAt.ToUnixTimeSeconds();
        var payload = new JsonObject
        {
            ["aud"] = new JsonArray([.. token.Audiences.Select(a => JsonValue.Create(a))]),
            ["exp"] = token.Expiry.ToUnixTimeSeconds(),
            ["iat"] = issuedAt,
            ["iss"] = Issuer,
            ["jti"] = Guid.NewGuid().ToString(),
            ["kubernetes.io"] = kubernetes,
            ["nbf"] = issuedAt,
            ["sub"] = $"system:serviceaccount:{token.Namespace}:{token.ServiceAccountName}",
        };

        var signingInput = $"{Encode(header)}.{Encode(payload)}";
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    public void Dispose() => _key.Dispose();

    private static string Encode(JsonObject json) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString(KubernetesJson.Options)));
}
