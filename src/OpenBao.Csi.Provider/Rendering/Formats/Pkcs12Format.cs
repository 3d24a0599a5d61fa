using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Rendering;

/// <summary>
/// <c>format: pkcs12</c>: key, leaf and chain in one PKCS#12 file for Java and .NET applications,
/// protected with <c>pkcs12Password</c> (empty when unset) using PBES2 with AES-256 and SHA-256,
/// which keytool (Java 8u301+), OpenSSL 1.1+ and .NET read.
/// </summary>
internal sealed class Pkcs12Format : IFileFormat
{
    public string Name => "pkcs12";

    public bool SelectsKeys => false;

    public byte[] Render(SecretObject secret, JsonElement data)
    {
        using var bundle = CertificateBundle.Read(secret, data);
        using var withKey = bundle.LeafWithKey(secret);
        var contents = new X509Certificate2Collection(withKey);
        contents.AddRange(bundle.Chain.ToArray());
        return contents.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, secret.Pkcs12Password ?? string.Empty);
    }
}
