using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenBao.Csi.Provider.Mounting;
using OpenBao.Csi.Provider.V1Alpha1;

namespace OpenBao.Csi.Provider.Shell;

/// <summary>
/// The MountRequest the Secrets Store CSI driver (v1.6) sends: the SecretProviderClass's parameters overlaid
/// with the kubelet's volume context (pod info, the volume's <c>secretProviderClass</c>, ephemeral), the
/// tokens of the CSIDriver's <c>tokenRequests</c> as a JSON string, and mode 0644 as a decimal string. Its
/// rotation is the kubelet republishing the volume, so a poll is the same request and carries no versions.
/// Go marshals the attribute map with sorted keys, so the JSON is written in that order too.
/// </summary>
internal static class DriverMountRequest
{
    /// <summary>0644, the driver's file permission, marshalled as Go marshals an <c>os.FileMode</c>.</summary>
    public const string Permission = "420";

    /// <summary>
    /// The node-publish Secret data (<c>nodePublishSecretRef</c>), which a provider of OpenBao tokens never needs:
    /// without it the kubelet passes no map, which Go marshals as null.
    /// </summary>
    public const string NoSecrets = "null";

    public const string EphemeralAttribute = "csi.storage.k8s.io/ephemeral";

    /// <summary>Where the kubelet asks the driver to publish an inline volume; providers that return files do not use it.</summary>
    public static string KubeletTargetPath(string? podUid) =>
        $"/var/lib/kubelet/pods/{podUid ?? "unknown-uid"}/volumes/kubernetes.io~csi/secrets-store-inline/mount";

    public static MountRequest Build(
        SecretProviderClassManifest manifest, MountPod pod, PodToken? token, string targetPath)
    {
        var attributes = new SortedDictionary<string, string>(manifest.Parameters.ToDictionary(), StringComparer.Ordinal)
        {
            [EphemeralAttribute] = "true",
            [AttributeKeys.PodName] = pod.Name,
            [AttributeKeys.PodNamespace] = pod.Namespace,
            [AttributeKeys.ServiceAccountName] = pod.ServiceAccount,
        };
        if (pod.Uid is not null)
        {
            attributes[AttributeKeys.PodUid] = pod.Uid;
        }

        if (manifest.Name is not null)
        {
            attributes[AttributeKeys.SecretProviderClass] = manifest.Name;
        }

        if (token is not null)
        {
            attributes[AttributeKeys.ServiceAccountTokens] = Tokens(token);
        }

        return new MountRequest
        {
            Attributes = Json(writer =>
            {
                foreach (var (key, value) in attributes)
                {
                    writer.WriteString(key, value);
                }
            }),
            Secrets = NoSecrets,
            TargetPath = targetPath,
            Permission = Permission,
        };
    }

    /// <summary><c>{"&lt;audience&gt;": {"token": "…", "expirationTimestamp": "…"}}</c>, the kubelet's TokenRequest statuses.</summary>
    private static string Tokens(PodToken token) => Json(writer =>
    {
        writer.WriteStartObject(token.Audience);
        writer.WriteString("token", token.Token);
        if (token.ExpiresAt is { } expiry)
        {
            writer.WriteString("expirationTimestamp", expiry.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }

        writer.WriteEndObject();
    });

    private static string Json(Action<Utf8JsonWriter> writeMembers)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
