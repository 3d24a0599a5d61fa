using System.Text;

namespace Kubernetes.Emulator;

internal static class KubeconfigWriter
{
    public const string FileName = "kubeconfig";

    public static string Write(string directory, Uri server, string bearerToken, string? certificateAuthorityPem, string? tlsServerName)
    {
        Directory.CreateDirectory(directory);
        var builder = new StringBuilder()
            .AppendLine("apiVersion: v1")
            .AppendLine("kind: Config")
            .AppendLine("clusters:")
            .AppendLine("- name: fake")
            .AppendLine("  cluster:")
            .AppendLine($"    server: {server.GetLeftPart(UriPartial.Authority)}");
        if (certificateAuthorityPem is not null)
        {
            // Kubeconfig carries the PEM text base64-encoded, as kubectl writes it.
            builder.AppendLine($"    certificate-authority-data: {Convert.ToBase64String(Encoding.ASCII.GetBytes(certificateAuthorityPem))}");
        }

        if (tlsServerName is not null)
        {
            builder.AppendLine($"    tls-server-name: {tlsServerName}");
        }

        builder
            .AppendLine("users:")
            .AppendLine("- name: fake")
            .AppendLine("  user:")
            .AppendLine($"    token: {bearerToken}")
            .AppendLine("contexts:")
            .AppendLine("- name: fake")
            .AppendLine("  context:")
            .AppendLine("    cluster: fake")
            .AppendLine("    user: fake")
            .AppendLine("    namespace: default")
            .AppendLine("current-context: fake");

        var path = Path.Combine(directory, FileName);
        File.WriteAllText(path, builder.ToString());
        return path;
    }
}
