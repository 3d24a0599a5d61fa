using OpenBao.Csi.Provider.Hosting;

namespace OpenBao.Csi.Provider.Shell;

/// <summary>What <c>openbao-csi-provider mount</c> was asked to do.</summary>
internal sealed class MountOptions
{
    /// <summary>The SecretProviderClass manifest; <c>-</c> is stdin.</summary>
    public string ManifestPath { get; set; } = string.Empty;

    public string PodNamespace { get; set; } = string.Empty;

    public string PodName { get; set; } = string.Empty;

    /// <summary>Null: read from the cluster when a token is requested there, else not sent.</summary>
    public string? PodUid { get; set; }

    /// <summary>Null: the pod's own when it is read from the cluster, else <see cref="DefaultServiceAccount"/>.</summary>
    public string? ServiceAccount { get; set; }

    /// <summary>A file holding the pod's service-account JWT; null asks for one with a TokenRequest.</summary>
    public string? TokenFile { get; set; }

    /// <summary>Null: the SecretProviderClass's <c>audience</c>, else the provider's default.</summary>
    public string? Audience { get; set; }

    /// <summary>A running provider's socket; null mounts in this process.</summary>
    public string? Socket { get; set; }

    public string? TargetDirectory { get; set; }

    /// <summary>Null mounts once.</summary>
    public TimeSpan? WatchInterval { get; set; }

    /// <summary>The provider's own flags, for in-process mounts and the kubeconfig.</summary>
    public ProviderOptions Server { get; } = new();

    public const string DefaultServiceAccount = "default";
}
