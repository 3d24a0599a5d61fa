using System.Text;
using System.Text.Json;
using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Rendering;

/// <summary><c>format: pem-chain</c>: the leaf certificate, then its issuers in order up to the root.</summary>
internal sealed class PemChainFormat : IFileFormat
{
    public string Name => "pem-chain";

    public bool SelectsKeys => false;

    public byte[] Render(SecretObject secret, JsonElement data)
    {
        using var bundle = CertificateBundle.Read(secret, data);
        return Encoding.ASCII.GetBytes(Pem(bundle));
    }

    internal static string Pem(CertificateBundle bundle) =>
        string.Concat(new[] { bundle.Leaf }.Concat(bundle.Chain).Select(c => c.ExportCertificatePem() + "\n"));
}
