using System.Text.Json;
using OpenBao.Csi.Provider.V1Alpha1;

namespace Csi.Driver.Emulator;

/// <summary>Builds a MountRequest exactly as the Secrets Store CSI driver does for one pod and SecretProviderClass.</summary>
public sealed class DriverMount
{
    public Dictionary<string, string> Parameters { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Tokens { get; } = new(StringComparer.Ordinal);

    public string Namespace { get; init; } = "shop";

    public string ServiceAccount { get; init; } = "app";

    public string PodName { get; init; } = "app-7d9f8";

    public string PodUid { get; init; } = Guid.NewGuid().ToString();

    public string Permission { get; init; } = "420";

    public DriverMount WithParameter(string key, string value)
    {
        Parameters[key] = value;
        return this;
    }

    public MountRequest ToRequest(IEnumerable<ObjectVersion>? current = null)
    {
        // The SecretProviderClass's parameters overlaid with the kubelet's volume context; Go marshals the map with sorted keys.
        var attributes = new SortedDictionary<string, string>(Parameters, StringComparer.Ordinal)
        {
            ["csi.storage.k8s.io/ephemeral"] = "true",
            ["csi.storage.k8s.io/pod.name"] = PodName,
            ["csi.storage.k8s.io/pod.namespace"] = Namespace,
            ["csi.storage.k8s.io/pod.uid"] = PodUid,
            ["csi.storage.k8s.io/serviceAccount.name"] = ServiceAccount,
            ["secretProviderClass"] = "app-secrets",
        };
        if (Tokens.Count > 0)
        {
            var tokens = Tokens.ToDictionary(
                t => t.Key,
                t => new Dictionary<string, string> { ["token"] = t.Value, ["expirationTimestamp"] = DateTime.UtcNow.AddMinutes(10).ToString("yyyy-MM-ddTHH:mm:ssZ") });
            attributes["csi.storage.k8s.io/serviceAccount.tokens"] = JsonSerializer.Serialize(tokens);
        }

        var request = new MountRequest
        {
            Attributes = JsonSerializer.Serialize(attributes),
            // json.Marshal of the nil map a pod without nodePublishSecretRef leaves.
            Secrets = "null",
            TargetPath = $"/var/lib/kubelet/pods/{PodUid}/volumes/kubernetes.io~csi/secrets-store-inline/mount",
            Permission = Permission,
        };
        if (current is not null)
        {
            request.CurrentObjectVersion.AddRange(current);
        }

        return request;
    }

    /// <summary>
    /// A rotation poll as driver v1.5's rotation reconciler sends it (pkg/rotation/reconciler.go, removed in v1.6):
    /// the SecretProviderClass's parameters with the pod's identity and tokens and the versions the driver holds,
    /// but no <c>secretProviderClass</c> or <c>ephemeral</c>, and the nodePublishSecretRef data as an empty object.
    /// </summary>
    public MountRequest ToRotationReconcilerRequest(IEnumerable<ObjectVersion> current)
    {
        var request = ToRequest(current);
        var attributes = JsonSerializer.Deserialize<SortedDictionary<string, string>>(request.Attributes)!;
        attributes.Remove("secretProviderClass");
        attributes.Remove("csi.storage.k8s.io/ephemeral");
        request.Attributes = JsonSerializer.Serialize(attributes);
        request.Secrets = "{}";
        return request;
    }
}
