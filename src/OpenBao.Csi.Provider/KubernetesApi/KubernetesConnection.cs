using k8s;

namespace OpenBao.Csi.Provider.KubernetesApi;

/// <summary>
/// Finds the Kubernetes API as controller-runtime does: -kubeconfig, else the files KUBECONFIG lists, else the
/// in-cluster service account, else ~/.kube/config. Without any, the provider runs without Kubernetes features.
/// </summary>
internal static class KubernetesConnection
{
    private const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    /// <summary>Kubernetes calls are small; a minute without an answer is an API server in trouble.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public sealed record Result(KubernetesApiClient? Client, string Description, string? OwnNamespace);

    /// <param name="inCluster">Whether this process runs in a pod with a service account; KubernetesClient's check unless given.</param>
    public static Result Connect(string? kubeconfigFlag, string? namespaceFlag, Func<string, string?> environment, TimeProvider? time = null, Func<bool>? inCluster = null)
    {
        time ??= TimeProvider.System;
        var ownNamespace = namespaceFlag ?? NonEmpty(environment("POD_NAMESPACE")) ?? ReadNamespaceFile();
        if (kubeconfigFlag is not null && !File.Exists(kubeconfigFlag))
        {
            throw new KubernetesConfigurationException($"kubeconfig {kubeconfigFlag} (-kubeconfig) does not exist");
        }

        // KUBECONFIG comes before the pod's own account, so that one set on purpose in a pod is not passed over.
        var files = kubeconfigFlag is not null ? [kubeconfigFlag] : KubeconfigVariable(environment);
        if (files.Count == 0)
        {
            if ((inCluster ?? KubernetesClientConfiguration.IsInCluster)())
            {
                return new Result(KubernetesApiClient.From(KubernetesClientConfiguration.InClusterConfig(), RequestTimeout, time), "in-cluster service account", ownNamespace);
            }

            if (DefaultKubeconfig(environment) is not { } home || !File.Exists(home))
            {
                return new Result(null, "not running in a pod and no kubeconfig found (-kubeconfig, KUBECONFIG, ~/.kube/config)", ownNamespace);
            }

            files = [home];
        }

        var described = "kubeconfig " + string.Join(Path.PathSeparator, files);
        KubernetesClientConfiguration configuration;
        try
        {
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(Kubeconfigs.Merge(files));
        }
        // KubernetesClient reports a malformed file with whatever its parser hits (InvalidCast for plain text, NullReference for
        // missing fields), and a CA file it cannot read with OpenSSL's error.
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or IOException or FormatException or YamlDotNet.Core.YamlException
            or InvalidCastException or NullReferenceException or ArgumentException or InvalidOperationException or UnauthorizedAccessException
            or System.Security.Cryptography.CryptographicException)
        {
            // OpenSSL's message names no file.
            var why = ex is System.Security.Cryptography.CryptographicException ? $"a certificate or key file it names cannot be read ({ex.Message})" : ex.Message;
            // A kubeconfig named on purpose must work; one merely lying around only costs the Kubernetes features.
            return kubeconfigFlag is not null
                ? throw new KubernetesConfigurationException($"{described} cannot be used: {why}", ex)
                : new Result(null, $"{described} cannot be used: {why}", ownNamespace);
        }

        return new Result(KubernetesApiClient.From(configuration, RequestTimeout, time), described, ownNamespace ?? NonEmpty(configuration.Namespace));
    }

    /// <summary>The files KUBECONFIG lists that exist, each once: kubectl skips the missing ones.</summary>
    private static IReadOnlyList<string> KubeconfigVariable(Func<string, string?> environment) =>
        environment("KUBECONFIG") is { } variable
            ? [.. variable.Split(Path.PathSeparator).Select(NonEmpty).OfType<string>().Where(File.Exists).Distinct(StringComparer.Ordinal)]
            : [];

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
