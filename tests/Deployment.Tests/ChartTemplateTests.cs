using System.Text.RegularExpressions;
using OpenBao.Csi.Provider.Deployment.Tests.Support;

namespace OpenBao.Csi.Provider.Deployment.Tests;

/// <summary>What can be checked of the templates without rendering them.</summary>
public sealed partial class ChartTemplateTests
{
    [Fact]
    public void ChartYaml_IsAnApplicationChartV2()
    {
        var metadata = Chart.Metadata;

        Assert.Equal("v2", metadata.Str("apiVersion"));
        Assert.Equal("openbao-csi-provider", metadata.Str("name"));
        Assert.Equal("0.1.0", metadata.Str("appVersion"));
    }

    [Fact]
    public void Templates_ReferenceOnlyValuesTheSchemaDefines()
    {
        var unknown = Chart.TemplateFiles
            .SelectMany(f => ValuesReference().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Path: m.Groups[1].Value)))
            .Where(r => !Chart.Defines(r.Path.Split('.', StringSplitOptions.RemoveEmptyEntries)))
            .Select(r => $"{r.File}: .Values{r.Path}")
            .Distinct()
            .ToList();

        Assert.Empty(unknown);
    }

    [Fact]
    public void Templates_CloseEveryBlockTheyOpen()
    {
        foreach (var file in Chart.TemplateFiles)
        {
            var text = File.ReadAllText(file);
            Assert.True(
                BlockStart().Matches(text).Count == BlockEnd().Matches(text).Count,
                $"{Path.GetFileName(file)}: if/range/with/define and end do not pair up");
        }
    }

    [Theory]
    [InlineData("daemonset.yaml", "path: /health/ready")]
    [InlineData("daemonset.yaml", "path: /health/live")]
    [InlineData("daemonset.yaml", "mountPath: /provider")]
    [InlineData("daemonset.yaml", "mountPath: /tmp")]
    [InlineData("daemonset.yaml", "medium: Memory")]
    [InlineData("daemonset.yaml", "fieldPath: metadata.namespace")]
    [InlineData("daemonset.yaml", "type: DirectoryOrCreate")]
    [InlineData("daemonset.yaml", "fieldPath: spec.nodeName")]
    [InlineData("daemonset.yaml", "terminationGracePeriodSeconds: 40")]
    [InlineData("clusterrole.yaml", "resources: [\"serviceaccounts/token\"]")]
    [InlineData("clusterrole.yaml", "verbs: [\"list\", \"watch\"]")]
    [InlineData("clusterrole.yaml", "resources: [\"events\"]")]
    [InlineData("clusterrole.yaml", "verbs: [\"create\", \"patch\"]")]
    [InlineData("role.yaml", "verbs: [\"get\"]")]
    [InlineData("role.yaml", "verbs: [\"create\"]")]
    public void FixedLine_IsInBothTheTemplateAndTheManifest(string template, string line)
    {
        Assert.Contains(line, Chart.Template(template), StringComparison.Ordinal);
        Assert.Contains(line, File.ReadAllText(Repo.ManifestPath), StringComparison.Ordinal);
    }

    [Fact]
    public void DaemonSetTemplate_PassesTheSocketAndHealthFlags()
    {
        var template = Chart.Template("daemonset.yaml");

        Assert.Contains("- -endpoint={{ .Values.daemonSet.endpoint }}", template, StringComparison.Ordinal);
        Assert.Contains("- -health-addr=:{{ .Values.healthPort }}", template, StringComparison.Ordinal);
        Assert.Contains("containerPort: {{ .Values.healthPort }}", template, StringComparison.Ordinal);
        Assert.Contains("path: {{ .Values.daemonSet.providersDir }}", template, StringComparison.Ordinal);
    }

    [Fact]
    public void Notes_ShowTokenRequestsAndAFirstSecretProviderClass()
    {
        var notes = Chart.Template("NOTES.txt");

        Assert.Contains("tokenRequests[0].audience", notes, StringComparison.Ordinal);
        Assert.Contains("kubectl patch csidriver secrets-store.csi.k8s.io", notes, StringComparison.Ordinal);
        Assert.Contains("kind: SecretProviderClass", notes, StringComparison.Ordinal);
        Assert.Contains("objects: |", notes, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")]
    private static partial Regex ValuesReference();

    [GeneratedRegex(@"\{\{-?\s*(if|range|with|define|block)\b")]
    private static partial Regex BlockStart();

    [GeneratedRegex(@"\{\{-?\s*end\b")]
    private static partial Regex BlockEnd();
}
