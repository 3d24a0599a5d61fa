using System.Text;
using System.Text.Json;
using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Rendering;

/// <summary><c>format: pem-bundle</c>: private key, leaf, then its chain: the single file HAProxy and nginx take.</summary>
internal sealed class PemBundleFormat : IFileFormat
{
    public string Name => "pem-bundle";

    public bool SelectsKeys => false;

    public byte[] Render(SecretObject secret, JsonElement data)
    {
        using var bundle = CertificateBundle.Read(secret, data);
        using var withKey = bundle.LeafWithKey(secret);
        return Encoding.ASCII.GetBytes(bundle.PrivateKeyPem!.TrimEnd() + "\n" + PemChainFormat.Pem(bundle));
    }
}
