using OpenBao.Csi.Provider.KubernetesApi;

namespace OpenBao.Csi.Provider.Tests.KubernetesApi;

public sealed class KubernetesConnectionTests : IDisposable
{
    private const string Kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: https://127.0.0.1:6443
            insecure-skip-tls-verify: true
        users:
        - name: test
          user:
            token: not-a-real-token
        contexts:
        - name: test
          context:
            cluster: test
            user: test
            namespace: from-kubeconfig
        current-context: test
        """;

    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("kube-home-");

    public void Dispose() => _home.Delete(recursive: true);

    private string WriteKubeconfig(string relative, string content = Kubeconfig)
    {
        var path = Path.Combine(_home.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <param name="caFile">A CA file to name; without one, TLS is not verified.</param>
    private static string OneCluster(string name, string server, string? currentContext, string? caFile = null) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {name}
          cluster:
            server: {server}
            {(caFile is null ? "insecure-skip-tls-verify: true" : "certificate-authority: " + caFile)}
        users:
        - name: {name}
          user:
            token: not-a-real-token
        contexts:
        - name: {name}
          context:
            cluster: {name}
            user: {name}
            namespace: ns-{name}
        current-context: "{currentContext}"
        """;

    [Fact]
    public void Connect_KubeconfigVariable_IsUsedWithItsNamespace()
    {
        var path = WriteKubeconfig("custom/config");

        var result = KubernetesConnection.Connect(null, null, name => name == "KUBECONFIG" ? path : null);

        Assert.NotNull(result.Client);
        Assert.Equal($"kubeconfig {path}", result.Description);
        Assert.Equal("from-kubeconfig", result.OwnNamespace);
    }

    [Fact]
    public void Connect_KubeconfigVariableListingSeveralFiles_MergedAsKubectlDoes()
    {
        // The first file names no current context; the second names its own; a listed file that is missing is skipped.
        var first = WriteKubeconfig("a/config", OneCluster("a", "https://a.example:6443", currentContext: null));
        var second = WriteKubeconfig("b/config", OneCluster("b", "https://b.example:6443", currentContext: "b"));
        var listed = string.Join(Path.PathSeparator, first, Path.Combine(_home.FullName, "missing"), second);

        var result = KubernetesConnection.Connect(null, null, name => name == "KUBECONFIG" ? listed : null);

        Assert.Equal(new Uri("https://b.example:6443/"), result.Client!.Server);
        Assert.Equal("ns-b", result.OwnNamespace);
        Assert.Equal($"kubeconfig {first}{Path.PathSeparator}{second}", result.Description);
    }

    [Fact]
    public void Merge_FirstFileWinsForEachNameAndTheCurrentContext_RelativePathsFromTheirOwnFile()
    {
        var first = WriteKubeconfig("a/config", OneCluster("shared", "https://first.example:6443", currentContext: "shared", caFile: "ca.crt"));
        var second = WriteKubeconfig("b/config", """
            apiVersion: v1
            kind: Config
            clusters:
            - name: shared
              cluster:
                server: https://second.example:6443
            - name: only-in-second
              cluster:
                server: https://only.example:6443
                certificate-authority: certs/ca.crt
            current-context: only-in-second
            """);

        var merged = Kubeconfigs.Merge([first, second]);

        Assert.Equal("shared", merged.CurrentContext);
        var shared = Assert.Single(merged.Clusters, cluster => cluster.Name == "shared");
        Assert.Equal("https://first.example:6443", shared.ClusterEndpoint.Server);
        Assert.Equal(Path.Combine(_home.FullName, "a", "ca.crt"), shared.ClusterEndpoint.CertificateAuthority);
        var onlyInSecond = Assert.Single(merged.Clusters, cluster => cluster.Name == "only-in-second");
        Assert.Equal(Path.Combine(_home.FullName, "b", "certs", "ca.crt"), onlyInSecond.ClusterEndpoint.CertificateAuthority);
        Assert.Single(merged.Users);
    }

    [Fact]
    public void Connect_KubeconfigVariable_WinsOverTheInClusterAccount()
    {
        var path = WriteKubeconfig("custom/config");

        var result = KubernetesConnection.Connect(null, null, name => name == "KUBECONFIG" ? path : null, inCluster: () => true);

        Assert.Equal($"kubeconfig {path}", result.Description);
    }

    [Fact]
    public void Connect_InCluster_WinsOverHomeKubeconfig()
    {
        WriteKubeconfig(".kube/config");

        // Outside a pod, KubernetesClient's in-cluster loading fails for want of the service host: proof it was chosen.
        Assert.Throws<k8s.Exceptions.KubeConfigException>(
            () => KubernetesConnection.Connect(null, null, name => name == "HOME" ? _home.FullName : null, inCluster: () => true));
    }

    [Fact]
    public void Connect_HomeKubeconfig_IsTheLastResort()
    {
        var path = WriteKubeconfig(".kube/config");

        var result = KubernetesConnection.Connect(null, null, name => name == "HOME" ? _home.FullName : null);

        Assert.Equal($"kubeconfig {path}", result.Description);
    }

    [Fact]
    public void Connect_PodNamespaceAndFlag_WinOverKubeconfigNamespace()
    {
        var path = WriteKubeconfig("config");

        var fromEnvironment = KubernetesConnection.Connect(path, null, name => name == "POD_NAMESPACE" ? "csi" : null);
        var fromFlag = KubernetesConnection.Connect(path, "flag-ns", name => name == "POD_NAMESPACE" ? "csi" : null);

        Assert.Equal("csi", fromEnvironment.OwnNamespace);
        Assert.Equal("flag-ns", fromFlag.OwnNamespace);
    }

    [Fact]
    public void Connect_Nothing_RunsWithoutKubernetesAndSaysWhy()
    {
        var result = KubernetesConnection.Connect(null, null, _ => null);

        Assert.Null(result.Client);
        Assert.Contains("no kubeconfig found", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Connect_MissingKubeconfigFlag_StopsTheStart()
    {
        var error = Assert.Throws<KubernetesConfigurationException>(() => KubernetesConnection.Connect("/nonexistent/kubeconfig", null, _ => null));

        Assert.Contains("/nonexistent/kubeconfig", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Connect_KubeconfigNamingAMissingCaFile_SaysSoInsteadOfCrashing()
    {
        var path = WriteKubeconfig("config", OneCluster("a", "https://a.example:6443", currentContext: "a", caFile: "missing-ca.crt"));

        var implicitly = KubernetesConnection.Connect(null, null, name => name == "KUBECONFIG" ? path : null);
        var named = Assert.Throws<KubernetesConfigurationException>(() => KubernetesConnection.Connect(path, null, _ => null));

        Assert.Null(implicitly.Client);
        Assert.Contains($"kubeconfig {path} cannot be used", implicitly.Description, StringComparison.Ordinal);
        Assert.Contains($"kubeconfig {path} cannot be used: a certificate or key file it names cannot be read", named.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Connect_BrokenImplicitKubeconfig_OnlyCostsKubernetesFeatures()
    {
        var path = Path.Combine(_home.FullName, "broken");
        File.WriteAllText(path, "clusters: [not: a: kubeconfig");

        var result = KubernetesConnection.Connect(null, null, name => name == "KUBECONFIG" ? path : null);

        Assert.Null(result.Client);
        Assert.Contains("cannot be used", result.Description, StringComparison.Ordinal);
    }
}
