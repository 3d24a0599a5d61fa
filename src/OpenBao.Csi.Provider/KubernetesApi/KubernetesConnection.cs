using k8s;

namespace OpenBao.Csi.Provider.KubernetesApi;

/// <summary>
/// Finds the Kubernetes API the way kubectl does: in-cluster service account, else -kubeconfig,
/// KUBECONFIG or ~/.kube/config. Without any, the provider runs without Kubernetes features.
/// </summary>
internal static class KubernetesConnection
{
    private const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    /// <summary>Kubernetes calls are small; a minute without an answer is an API server in trouble.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public sealed record Result(KubernetesApiClient? Client, string Description, string? OwnNamespace);

    public static Result Connect(string? kubeconfigFlag, string? namespaceFlag, Func<string, string?> environment, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var ownNamespace = namespaceFlag ?? NonEmpty(environment("POD_NAMESPACE")) ?? ReadNamespaceFile();
        if (kubeconfigFlag is null && KubernetesClientConfiguration.IsInCluster())
        {
            return new Result(KubernetesApiClient.From(KubernetesClientConfiguration.InClusterConfig(), RequestTimeout, time), "in-cluster service account", ownNamespace);
        }

        if (kubeconfigFlag is not null && !File.Exists(kubeconfigFlag))
        {
            throw new KubernetesConfigurationException($"kubeconfig {kubeconfigFlag} (-kubeconfig) does not exist");
        }

        var path = kubeconfigFlag ?? NonEmpty(environment("KUBECONFIG")?.Split(Path.PathSeparator)[0]) ?? DefaultKubeconfig(environment);
        if (path is null || !File.Exists(path))
        {
            return new Result(null, "not running in a pod and no kubeconfig found (-kubeconfig, KUBECONFIG, ~/.kube/config)", ownNamespace);
        }

        KubernetesClientConfiguration configuration;
        try
        {
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        }
        // KubernetesClient reports a malformed file with whatever its parser hits (InvalidCast for plain text, NullReference for missing fields).
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or IOException or FormatException or YamlDotNet.Core.YamlException
            or InvalidCastException or NullReferenceException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
        {
            // A kubeconfig named on purpose must work; one merely lying around only costs the Kubernetes features.
            return kubeconfigFlag is not null
                ? throw new KubernetesConfigurationException($"kubeconfig {path} cannot be used: {ex.Message}", ex)
                : new Result(null, $"kubeconfig {path} cannot be used: {ex.Message}", ownNamespace);
        }

        return new Result(KubernetesApiClient.From(configuration, RequestTimeout, time), $"kubeconfig {path}", ownNamespace ?? NonEmpty(configuration.Namespace));
    }

    private static string? DefaultKubeconfig(Func<string, string?> environment) =>
        NonEmpty(environment("HOME")) is { } home ? Path.Combine(home, ".kube", "config") : null;

    private static string? ReadNamespaceFile()
    {
        try
        {
            return File.Exists(ServiceAccountNamespaceFile) ? NonEmpty(File.ReadAllText(ServiceAccountNamespaceFile)) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
