using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
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
    /// <summary>Room for about a thousand keystores of a few KiB, one per pod and certificate on a node.</summary>
    private const long RememberedBytes = 8 * 1024 * 1024;

    private const int LargestRemembered = 64 * 1024;

    private static readonly RecentExports Recent = new(RememberedBytes, LargestRemembered);

    public string Name => "pkcs12";

    public bool SelectsKeys => false;

    public byte[] Render(SecretObject secret, JsonElement data) =>
        Recent.GetOrExport(DigestOf(secret.Pkcs12Password, data), () => Export(secret, data));

    private static byte[] Export(SecretObject secret, JsonElement data)
    {
        using var bundle = CertificateBundle.Read(secret, data);
        using var withKey = bundle.LeafWithKey(secret);
        var contents = new X509Certificate2Collection(withKey);
        contents.AddRange(bundle.Chain.ToArray());
        return contents.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, secret.Pkcs12Password ?? string.Empty);
    }

    /// <summary>Everything the export is made from; a digest, so no key material is kept twice.</summary>
    private static string DigestOf(string? password, JsonElement data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(password ?? string.Empty));
        hash.AppendData([0]);
        hash.AppendData(JsonMarshal.GetRawUtf8Value(data));
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
