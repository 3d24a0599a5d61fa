using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenBao.Emulator.Internal.Crypto;

namespace OpenBao.Emulator;

/// <summary>
/// Stands in for a Kubernetes cluster's service-account token signer: RSA-2048, RS256, real
/// signatures. The emulator's kubernetes and jwt auth mounts trust its key.
/// </summary>
public sealed class ServiceAccountTokenIssuer
{
    private const int KeySize = 2048;

    private static readonly TimeSpan ExpiredLifetime = TimeSpan.FromHours(1);

    /// <summary>
    /// Generating an RSA key costs hundreds of milliseconds, so every emulator in a process stands in
    /// for the same cluster unless given its own issuer.
    /// </summary>
    private static readonly Lazy<RSAParameters> SharedKey = new(() =>
    {
        using var key = RSA.Create(KeySize);
        return key.ExportParameters(includePrivateParameters: true);
    });

    private readonly Lock _gate = new();
    private readonly RSA _key;
    private readonly TimeProvider _time;
    private readonly string _keyId;

    /// <summary>A cluster with a freshly generated key, trusted by no emulator unless passed in <see cref="EmulatorOptions.Issuer"/>.</summary>
    public ServiceAccountTokenIssuer(TimeProvider? timeProvider = null)
        : this(RSA.Create(KeySize), timeProvider ?? TimeProvider.System)
    {
    }

    private ServiceAccountTokenIssuer(RSA key, TimeProvider timeProvider)
    {
        _key = key;
        _time = timeProvider;
        PublicKeyPem = _key.ExportSubjectPublicKeyInfoPem();

        // Kubernetes derives the kid from the public key the same way.
        _keyId = JwtBase64.Encode(SHA256.HashData(_key.ExportSubjectPublicKeyInfo()));
    }

    public string Issuer => "https://kubernetes.default.svc.cluster.local";

    /// <summary>The verification key as a PKIX <c>PUBLIC KEY</c> PEM.</summary>
    public string PublicKeyPem { get; }

    /// <summary>A projected service-account token valid from now for <paramref name="lifetime"/>.</summary>
    /// <param name="podName">When set, the token is bound to this pod (with <paramref name="podUid"/> or a random UID).</param>
    public string Mint(string @namespace, string serviceAccount, IReadOnlyList<string> audiences, TimeSpan lifetime, string? podName = null, string? podUid = null)
    {
        var now = _time.GetUtcNow();
        return Sign(@namespace, serviceAccount, audiences, now, now + lifetime, podName, podUid);
    }

    /// <summary>A token that expired an hour ago, well past OpenBao's 60-second leeway.</summary>
    public string MintExpired(string @namespace, string serviceAccount, IReadOnlyList<string> audiences, string? podName = null, string? podUid = null)
    {
        var now = _time.GetUtcNow();
        return Sign(@namespace, serviceAccount, audiences, now - (2 * ExpiredLifetime), now - ExpiredLifetime, podName, podUid);
    }

    /// <summary>The service account's UID: stable per name, so OpenBao entity aliases are too.</summary>
    public static string ServiceAccountUid(string @namespace, string serviceAccount) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"{@namespace}/{serviceAccount}")).AsSpan(0, 16)).ToString();

    /// <summary>The process-wide cluster key, read by <paramref name="timeProvider"/>'s clock.</summary>
    internal static ServiceAccountTokenIssuer Shared(TimeProvider timeProvider) => new(RSA.Create(SharedKey.Value), timeProvider);

    internal bool HasSigned(SignedJwt jwt)
    {
        var hash = jwt.Algorithm switch
        {
            "RS256" => HashAlgorithmName.SHA256,
            "RS384" => HashAlgorithmName.SHA384,
            "RS512" => HashAlgorithmName.SHA512,
            _ => default,
        };
        if (hash == default)
        {
            return false;
        }

        lock (_gate)
        {
            return _key.VerifyData(jwt.SigningInput, jwt.Signature, hash, RSASignaturePadding.Pkcs1);
        }
    }

    private string Sign(string ns, string serviceAccount, IReadOnlyList<string> audiences, DateTimeOffset issuedAt, DateTimeOffset expiry, string? podName, string? podUid)
    {
        var header = Json(writer =>
        {
            writer.WriteString("alg", "RS256");
            writer.WriteString("kid", _keyId);
        });
        var payload = Json(writer =>
        {
            writer.WriteStartArray("aud");
            foreach (var audience in audiences)
            {
                writer.WriteStringValue(audience);
            }

            writer.WriteEndArray();
            writer.WriteNumber("exp", expiry.ToUnixTimeSeconds());
            writer.WriteNumber("iat", issuedAt.ToUnixTimeSeconds());
            writer.WriteString("iss", Issuer);
            writer.WriteString("jti", Guid.NewGuid().ToString());
            writer.WriteStartObject("kubernetes.io");
            writer.WriteString("namespace", ns);
            if (podName is not null)
            {
                writer.WriteStartObject("pod");
                writer.WriteString("name", podName);
                writer.WriteString("uid", podUid ?? Guid.NewGuid().ToString());
                writer.WriteEndObject();
            }

            writer.WriteStartObject("serviceaccount");
            writer.WriteString("name", serviceAccount);
            writer.WriteString("uid", ServiceAccountUid(ns, serviceAccount));
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteNumber("nbf", issuedAt.ToUnixTimeSeconds());
            writer.WriteString("sub", $"system:serviceaccount:{ns}:{serviceAccount}");
        });

        var signingInput = $"{JwtBase64.Encode(header)}.{JwtBase64.Encode(payload)}";
        byte[] signature;
        lock (_gate)
        {
            signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

        return $"{signingInput}.{JwtBase64.Encode(signature)}";
    }

    private static byte[] Json(Action<Utf8JsonWriter> writeMembers)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
