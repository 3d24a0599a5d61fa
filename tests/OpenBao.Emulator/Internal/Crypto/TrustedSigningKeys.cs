using System.Security.Cryptography;

namespace OpenBao.Emulator.Internal.Crypto;

/// <summary>
/// Extra public keys the kubernetes auth method accepts JWT signatures from, like its
/// <c>pem_keys</c> setting: how a cluster other than the emulator's own issuer is trusted.
/// </summary>
internal sealed class TrustedSigningKeys
{
    private readonly Lock _gate = new();
    private readonly List<RSA> _keys = [];

    public void Add(string publicKeyPem)
    {
        var key = RSA.Create();
        key.ImportFromPem(publicKeyPem);
        lock (_gate)
        {
            _keys.Add(key);
        }
    }

    public bool HaveSigned(SignedJwt jwt)
    {
        if (jwt.Algorithm != "RS256")
        {
            return false;
        }

        lock (_gate)
        {
            return _keys.Any(key => key.VerifyData(jwt.SigningInput, jwt.Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
    }
}
