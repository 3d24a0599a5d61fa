using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Fetching;

/// <summary>What makes two objects the same OpenBao request; objects sharing a key are served by one read.</summary>
internal sealed record SecretRequestKey(string Method, string Path, string? Query, string? Body)
{
    public static SecretRequestKey For(SecretObject secret) =>
        new(secret.Method, secret.SecretPath, secret.Query, secret.Method == "GET" ? null : secret.SecretArgs);

    public override string ToString() => Query is null ? $"{Method} {Path}" : $"{Method} {Path}?{Query}";
}
