using k8s;
using k8s.KubeConfigModels;

namespace OpenBao.Csi.Provider.KubernetesApi;

/// <summary>
/// Several kubeconfig files read as one, as kubectl merges the files KUBECONFIG lists: for current-context and
/// for each cluster, user and context name, the first file that sets it wins.
/// </summary>
internal static class Kubeconfigs
{
    public static K8SConfiguration Merge(IReadOnlyList<string> paths)
    {
        K8SConfiguration? merged = null;
        foreach (var path in paths)
        {
            var file = new FileInfo(path);
            var config = KubernetesClientConfiguration.LoadKubeConfig(file);
            // A file's relative paths are relative to that file; once merged, KubernetesClient would take them from the first.
            ResolvePaths(config, file.DirectoryName!);
            if (merged is null)
            {
                merged = config;
                continue;
            }

            merged.CurrentContext = string.IsNullOrEmpty(merged.CurrentContext) ? config.CurrentContext : merged.CurrentContext;
            merged.Clusters = FirstOfEachName(merged.Clusters, config.Clusters, cluster => cluster.Name);
            merged.Users = FirstOfEachName(merged.Users, config.Users, user => user.Name);
            merged.Contexts = FirstOfEachName(merged.Contexts, config.Contexts, context => context.Name);
        }

        return merged ?? throw new ArgumentException("no kubeconfig file to read", nameof(paths));
    }

    private static void ResolvePaths(K8SConfiguration config, string directory)
    {
        foreach (var endpoint in (config.Clusters ?? []).Select(cluster => cluster.ClusterEndpoint).OfType<ClusterEndpoint>())
        {
            endpoint.CertificateAuthority = Resolve(endpoint.CertificateAuthority, directory);
        }

        foreach (var credentials in (config.Users ?? []).Select(user => user.UserCredentials).OfType<UserCredentials>())
        {
            credentials.ClientCertificate = Resolve(credentials.ClientCertificate, directory);
            credentials.ClientKey = Resolve(credentials.ClientKey, directory);
        }
    }

    private static string Resolve(string path, string directory) =>
        string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.Combine(directory, path);

    private static List<T> FirstOfEachName<T>(IEnumerable<T>? first, IEnumerable<T>? later, Func<T, string> name)
    {
        var merged = new List<T>(first ?? []);
        var names = merged.Select(name).ToHashSet(StringComparer.Ordinal);
        merged.AddRange((later ?? []).Where(item => names.Add(name(item))));
        return merged;
    }
}
