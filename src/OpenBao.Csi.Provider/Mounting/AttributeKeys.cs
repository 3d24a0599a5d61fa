namespace OpenBao.Csi.Provider.Mounting;

/// <summary>Keys of the MountRequest <c>attributes</c> object: SecretProviderClass parameters and what the driver adds.</summary>
internal static class AttributeKeys
{
    public const string RoleName = "roleName";
    public const string Audience = "audience";
    public const string Objects = "objects";
    public const string PodName = "csi.storage.k8s.io/pod.name";
    public const string PodNamespace = "csi.storage.k8s.io/pod.namespace";
    public const string PodUid = "csi.storage.k8s.io/pod.uid";
    public const string ServiceAccountName = "csi.storage.k8s.io/serviceAccount.name";
    public const string ServiceAccountTokens = "csi.storage.k8s.io/serviceAccount.tokens";
    public const string SecretProviderClass = "secretProviderClass";

    /// <summary>What the driver adds to the SecretProviderClass's parameters about the pod.</summary>
    public const string DriverPrefix = "csi.storage.k8s.io/";

    /// <summary>Connection keys come as <c>bao…</c>, <c>openbao…</c> or <c>vault…</c>; earlier prefixes win.</summary>
    private static readonly string[] ConnectionPrefixes = ["bao", "openbao", "vault"];

    private static readonly string[] ConnectionSuffixes =
    [
        "RoleName", "Address", "FailoverAddress", "Namespace", "KubernetesMountPath", "AuthMountPath",
        "CACertPath", "CADirectory", "TLSServerName", "TLSClientCertPath", "TLSClientKeyPath", "SkipTLSVerify",
    ];

    /// <summary>Each connection setting's keys in the order they win, by suffix: built once, as every mount looks up all of them.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> ConnectionKeys = ConnectionSuffixes.ToDictionary(
        suffix => suffix, suffix => ConnectionPrefixes.Select(prefix => prefix + suffix).ToArray(), StringComparer.Ordinal);

    /// <summary>Every parameter a SecretProviderClass may set for this provider.</summary>
    public static readonly IReadOnlySet<string> Parameters = new HashSet<string>(
        [RoleName, Audience, Objects, .. ConnectionKeys.Values.SelectMany(keys => keys)],
        StringComparer.Ordinal);
}
