using System.Text.Json.Nodes;
using OpenBao.Csi.Provider.Deployment.Tests.Support;

namespace OpenBao.Csi.Provider.Deployment.Tests;

/// <summary>
/// The chart's `metrics:` block: PodMonitor, ServiceMonitor (with its headless Service) and
/// PrometheusRule, rendered only where the cluster serves monitoring.coreos.com/v1. What needs
/// rendering runs helm (`helm template --api-versions monitoring.coreos.com/v1` stands for a
/// cluster with the operator's CRDs) and is skipped where helm is not installed.
/// </summary>
public sealed class ChartMonitoringTests
{
    private const string MonitoringApiCheck = "include \"openbao-csi-provider.monitoringApi\" .";

    // The pod.annotations example values.yaml gives for annotation-based scraping.
    private const string ScrapeAnnotations = """
        pod:
          annotations: |
            prometheus.io/scrape: "true"
            prometheus.io/port: "{{ .Values.healthPort }}"
            prometheus.io/path: /metrics
        """;

    private static readonly string[] MonitoringKinds = ["PodMonitor", "ServiceMonitor", "PrometheusRule"];

    [Fact]
    public void Defaults_CreateNoMonitoringObjects()
    {
        var metrics = Chart.Values.At("metrics");

        Assert.All(
            ["podMonitor", "serviceMonitor", "prometheusRule"],
            key => Assert.False(metrics.At(key, "enabled").GetValue<bool>(), key));
    }

    [Theory]
    [InlineData("podmonitor.yaml", ".Values.metrics.podMonitor")]
    [InlineData("servicemonitor.yaml", ".Values.metrics.serviceMonitor")]
    [InlineData("service.yaml", ".Values.metrics.serviceMonitor.enabled")]
    [InlineData("prometheusrule.yaml", ".Values.metrics.prometheusRule")]
    public void MonitoringTemplate_RendersOnlyWhenEnabledAndTheOperatorsApiIsServed(string template, string switchValue)
    {
        var text = Chart.Template(template);
        var gate = text.Split('\n').Single(l => l.Contains(MonitoringApiCheck, StringComparison.Ordinal));

        Assert.StartsWith("{{- if and .Values.enabled ", gate, StringComparison.Ordinal);
        Assert.Contains(switchValue, text, StringComparison.Ordinal);
        Assert.Contains(
            ".Capabilities.APIVersions.Has \"monitoring.coreos.com/v1\"",
            Chart.Template("_monitoring.tpl"),
            StringComparison.Ordinal);
    }

    [Fact]
    public void PrometheusRuleTemplate_ReadsTheRulesFileShippedWithTheChart()
    {
        Assert.Contains(".Files.Get \"files/openbao-csi-provider-rules.yaml\"", Chart.Template("prometheusrule.yaml"), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Repo.ChartDir, "files", "openbao-csi-provider-rules.yaml")));
    }

    [Fact]
    public void ScrapedPort_IsTheHealthPortNamedAlikeInChartAndManifest()
    {
        var manifest = ProviderManifest.Load();
        var port = manifest.Container.Objects("ports").Single(p => p.Str("name") == "health");

        Assert.Equal(8080, port.At("containerPort").GetValue<long>());
        Assert.Contains("- name: health\n              containerPort: {{ .Values.healthPort }}", Chart.Template("daemonset.yaml"), StringComparison.Ordinal);
        Assert.Contains("- port: health", Chart.Template("podmonitor.yaml"), StringComparison.Ordinal);
        Assert.Contains("targetPort: health", Chart.Template("service.yaml"), StringComparison.Ordinal);
    }

    [Fact]
    public void Notes_SayWhatWasSkippedWithoutTheOperatorsApi()
    {
        var notes = Chart.Template("NOTES.txt");

        Assert.Contains("--api-versions monitoring.coreos.com/v1", notes, StringComparison.Ordinal);
        Assert.Contains("created nothing", notes, StringComparison.Ordinal);
    }

    [Fact]
    public void ValuesYaml_DocumentsTheScrapeAnnotationsExample()
    {
        var text = File.ReadAllText(Path.Combine(Repo.ChartDir, "values.yaml"));
        var commented = string.Join('\n', ScrapeAnnotations.Split('\n').Select(l => "#   " + l));

        Assert.Contains(commented, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("metrics:\n  podMonitr:\n    enabled: true\n", "podMonitr")]
    [InlineData("metrics:\n  podMonitor:\n    enable: true\n", "enable")]
    [InlineData("metrics:\n  serviceMonitor:\n    scrapeInterval: 30s\n", "scrapeInterval")]
    [InlineData("metrics:\n  prometheusRule:\n    rules: []\n", "rules")]
    public async Task Override_WithMisspeltMetricsKey_FailsNamingIt(string overrides, string typo)
    {
        var errors = await Chart.ValidateAsync(overrides);

        Assert.Contains(errors, e => e.Contains(typo, StringComparison.Ordinal) && e.Contains("NoAdditionalPropertiesAllowed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("metrics:\n  podMonitor:\n    enabled: \"true\"\n")]
    [InlineData("metrics:\n  podMonitor:\n    interval: 30\n")]
    [InlineData("metrics:\n  serviceMonitor:\n    scrapeTimeout: ten seconds\n")]
    [InlineData("metrics:\n  serviceMonitor:\n    namespace: Monitoring\n")]
    [InlineData("metrics:\n  podMonitor:\n    labels:\n      release: [kps]\n")]
    [InlineData("metrics:\n  prometheusRule:\n    additionalRules:\n      - alert: NoExpr\n")]
    [InlineData("metrics:\n  prometheusRule:\n    additionalRules:\n      - expr: up == 0\n")]
    public async Task Override_WithBadMetricsValue_Fails(string overrides)
    {
        Assert.NotEmpty(await Chart.ValidateAsync(overrides));
    }

    [Fact]
    public async Task Override_AFullMetricsBlock_IsValid()
    {
        const string metrics = """
            metrics:
              podMonitor:
                enabled: true
                namespace: monitoring
                labels: {release: kube-prometheus-stack}
                interval: 1m30s
                scrapeTimeout: ""
                relabelings:
                  - sourceLabels: [__meta_kubernetes_pod_node_name]
                    targetLabel: node
                metricRelabelings:
                  - sourceLabels: [__name__]
                    regex: dotnet_.*
                    action: drop
              prometheusRule:
                enabled: true
                labels: {release: kube-prometheus-stack}
                additionalRules:
                  - alert: OpenBaoCsiTokenLoginsHigh
                    expr: sum(rate(openbao_csi_tokens_total{outcome="logged_in"}[15m])) > 1
                    for: 30m
                    labels: {severity: info}
                  - record: openbao_csi:mounts:rate5m
                    expr: sum(rate(openbao_csi_mounts_total[5m]))
            """;

        Assert.Empty(await Chart.ValidateAsync(metrics));
        Assert.Empty(await Chart.ValidateAsync(ScrapeAnnotations));
    }

    [ToolFact("helm")]
    public async Task Render_Defaults_HaveNoMonitoringObjectsEvenWithTheApi()
    {
        var documents = await Helm.TemplateAsync(monitoringApi: true);

        Assert.DoesNotContain(documents, d => MonitoringKinds.Contains(d.Kind()) || d.Kind() == "Service");
        Assert.Single(documents, d => d.Kind() == "DaemonSet");
    }

    [ToolFact("helm")]
    public async Task Render_EnabledWithoutTheApi_CreatesNothingAndTheNotesSaySo()
    {
        const string values = "metrics:\n  serviceMonitor: {enabled: true}\n  prometheusRule: {enabled: true}\n";

        var documents = await Helm.TemplateAsync(values);
        var notes = await Helm.NotesAsync(values);

        Assert.DoesNotContain(documents, d => MonitoringKinds.Contains(d.Kind()) || d.Kind() == "Service");
        Assert.Contains("metrics.serviceMonitor and metrics.prometheusRule created nothing", notes.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.DoesNotContain("created nothing", await Helm.NotesAsync(), StringComparison.Ordinal);
    }

    [ToolFact("helm")]
    public async Task Render_PodMonitor_ScrapesTheDaemonSetPodsOnTheirHealthPort()
    {
        var documents = await Helm.TemplateAsync(
            "healthPort: 9102\nmetrics:\n  podMonitor:\n    enabled: true\n    labels: {release: kps}\n    interval: 15s\n",
            monitoringApi: true);
        var daemonSet = documents.Single(d => d.Kind() == "DaemonSet");
        var monitor = documents.Single(d => d.Kind() == "PodMonitor");
        var endpoint = Assert.Single(monitor.Objects("spec", "podMetricsEndpoints"));
        var container = daemonSet.Objects("spec", "template", "spec", "containers").Single();

        AssertSelects(monitor.At("spec", "selector", "matchLabels").AsObject(), daemonSet.At("spec", "template", "metadata", "labels").AsObject());
        Assert.Equal([Helm.Namespace], monitor.Find("spec", "namespaceSelector", "matchNames").Strings());
        Assert.Equal(9102, container.Objects("ports").Single(p => p.Str("name") == endpoint.Str("port")).At("containerPort").GetValue<long>());
        Assert.Equal(("/metrics", "15s", "10s"), (endpoint.Str("path"), endpoint.Str("interval"), endpoint.Str("scrapeTimeout")));
        Assert.Equal("kps", monitor.Str("metadata", "labels", "release"));
        Assert.Equal(("openbao-csi-provider", Helm.Namespace), (monitor.Name(), monitor.Namespace()));
        Assert.Equal("openbao-csi-provider", daemonSet.Str("spec", "template", "metadata", "labels", monitor.Str("spec", "jobLabel")));
        Assert.DoesNotContain(documents, d => d.Kind() is "ServiceMonitor" or "Service" or "PrometheusRule");
    }

    [ToolFact("helm")]
    public async Task Render_ServiceMonitor_ReachesThePodsThroughAHeadlessService()
    {
        var documents = await Helm.TemplateAsync(
            """
            metrics:
              serviceMonitor:
                enabled: true
                namespace: monitoring
                metricRelabelings:
                  - {sourceLabels: [__name__], regex: dotnet_.*, action: drop}
            """,
            monitoringApi: true);
        var podLabels = documents.Single(d => d.Kind() == "DaemonSet").At("spec", "template", "metadata", "labels").AsObject();
        var container = documents.Single(d => d.Kind() == "DaemonSet").Objects("spec", "template", "spec", "containers").Single();
        var service = documents.Single(d => d.Kind() == "Service");
        var monitor = documents.Single(d => d.Kind() == "ServiceMonitor");
        var endpoint = Assert.Single(monitor.Objects("spec", "endpoints"));
        var servicePort = Assert.Single(service.Objects("spec", "ports"));

        Assert.Equal("None", service.Str("spec", "clusterIP"));
        Assert.Equal(Helm.Namespace, service.Namespace());
        AssertSelects(service.At("spec", "selector").AsObject(), podLabels);
        AssertSelects(monitor.At("spec", "selector", "matchLabels").AsObject(), service.At("metadata", "labels").AsObject());
        Assert.Equal(servicePort.Str("name"), endpoint.Str("port"));
        Assert.Contains(container.Objects("ports"), p => p.Str("name") == servicePort.Str("targetPort"));
        Assert.Equal("/metrics", endpoint.Str("path"));
        Assert.Equal("drop", Assert.Single(endpoint.Objects("metricRelabelings")).Str("action"));
        Assert.Equal("monitoring", monitor.Namespace());
        Assert.Equal([Helm.Namespace], monitor.Find("spec", "namespaceSelector", "matchNames").Strings());
        Assert.Equal("openbao-csi-provider", service.Str("metadata", "labels", monitor.Str("spec", "jobLabel")));
    }

    [ToolFact("helm")]
    public async Task Render_BothMonitors_FailsRatherThanScrapeTwice()
    {
        var error = await Helm.TemplateErrorAsync("metrics:\n  podMonitor: {enabled: true}\n  serviceMonitor: {enabled: true}\n", monitoringApi: true);

        Assert.Contains("enable podMonitor or serviceMonitor, not both", error, StringComparison.Ordinal);
    }

    [ToolFact("helm")]
    public async Task Render_PrometheusRule_CarriesThePlainFilesGroups()
    {
        var documents = await Helm.TemplateAsync("metrics:\n  prometheusRule: {enabled: true}\n", monitoringApi: true);
        var rule = documents.Single(d => d.Kind() == "PrometheusRule");

        Assert.True(
            JsonNode.DeepEquals(PrometheusRulesTests.Rules.At("groups"), rule.At("spec", "groups")),
            "the PrometheusRule's groups differ from deploy/prometheus/openbao-csi-provider-rules.yaml");
        Assert.Equal(("monitoring.coreos.com/v1", Helm.Namespace), (rule.Str("apiVersion"), rule.Namespace()));
    }

    [ToolFact("helm")]
    public async Task Render_PrometheusRule_AppendsAdditionalRulesAsTheirOwnGroup()
    {
        var documents = await Helm.TemplateAsync(
            """
            metrics:
              prometheusRule:
                enabled: true
                namespace: monitoring
                labels: {release: kps}
                additionalRules:
                  - alert: OpenBaoCsiTokenLoginsHigh
                    expr: sum(rate(openbao_csi_tokens_total{outcome="logged_in"}[15m])) > 1
                    for: 30m
                    labels: {severity: info}
            """,
            monitoringApi: true);
        var rule = documents.Single(d => d.Kind() == "PrometheusRule");
        var groups = rule.Objects("spec", "groups").ToList();

        Assert.Equal(PrometheusRulesTests.Rules.Objects("groups").Count() + 1, groups.Count);
        Assert.Equal("openbao-csi-provider-additional", groups[^1].Str("name"));
        Assert.Equal("OpenBaoCsiTokenLoginsHigh", Assert.Single(groups[^1].Objects("rules")).Str("alert"));
        Assert.Equal(("monitoring", "kps"), (rule.Namespace(), rule.Str("metadata", "labels", "release")));
    }

    [ToolFact("helm")]
    public async Task Render_ScrapeAnnotationsExample_PointsAtTheHealthPort()
    {
        var documents = await Helm.TemplateAsync(ScrapeAnnotations + "\nhealthPort: 9102\n");
        var annotations = documents.Single(d => d.Kind() == "DaemonSet").At("spec", "template", "metadata", "annotations");

        Assert.Equal(("true", "9102", "/metrics"), (annotations.Str("prometheus.io/scrape"), annotations.Str("prometheus.io/port"), annotations.Str("prometheus.io/path")));
    }

    private static void AssertSelects(JsonObject selector, JsonObject labels)
    {
        Assert.NotEmpty(selector);
        Assert.All(selector, kv => Assert.Equal(kv.Value!.GetValue<string>(), labels[kv.Key]?.GetValue<string>()));
    }
}
