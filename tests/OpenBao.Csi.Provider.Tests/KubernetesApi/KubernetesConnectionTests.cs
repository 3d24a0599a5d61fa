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

    private string WriteKubeconfig(string relative)
    {
        var path = Path.Combine(_home.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Kubeconfig);
        return path;
    }

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
    public void Connect_BrokenImplicitKubeconfig_OnlyCostsKubernetesFeatures()
    {
        var path = Path.Combine(_home.FullName, "broken");
        File.WriteAllText(path, "clusters: [not: a: kubeconfig");

        var result = KubernetesConnection.Connect(null, null, name => name == "KUBECONFIG" ? path : null);

        Assert.Null(result.Client);
        Assert.Contains("cannot be used", result.Description, StringComparison.Ordinal);
    }
}
