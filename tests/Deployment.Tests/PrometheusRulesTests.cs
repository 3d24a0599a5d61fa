using System.Text.Json.Nodes;
using OpenBao.Csi.Provider.Deployment.Tests.Support;

namespace OpenBao.Csi.Provider.Deployment.Tests;

/// <summary>
/// deploy/prometheus: the alert rules as a plain Prometheus file (the chart's PrometheusRule
/// carries the same groups) and their promtool unit tests. promtool runs them where installed;
/// everything else is read here without it.
/// </summary>
public sealed class PrometheusRulesTests
{
    private static readonly string RulesFile = Repo.Path("deploy", "prometheus", "openbao-csi-provider-rules.yaml");
    private static readonly string UnitTestFile = Repo.Path("deploy", "prometheus", "openbao-csi-provider-rules.test.yaml");
    private static readonly string ChartRulesFile = Path.Combine(Repo.ChartDir, "files", "openbao-csi-provider-rules.yaml");

    public static JsonObject Rules => Yaml.LoadDocuments(RulesFile).Single();

    public static IEnumerable<JsonObject> AlertRules =>
        Rules.Objects("groups").SelectMany(g => g.Objects("rules")).Where(r => r.Find("alert") is not null);

    public static TheoryData<string> Alerts() => [.. AlertRules.Select(r => r.Str("alert"))];

    [Fact]
    public void ChartCopy_IsThePlainFileByteForByte()
    {
        Assert.Equal(File.ReadAllBytes(RulesFile), File.ReadAllBytes(ChartRulesFile));
    }

    [Fact]
    public void Rules_AlertOnWhatOperatorsNeedToKnow()
    {
        var names = AlertRules.Select(r => r.Str("alert")).ToList();

        Assert.Equal(names.Distinct().Count(), names.Count);
        Assert.Superset(
            new HashSet<string>
            {
                "OpenBaoCsiProviderDown", "OpenBaoCsiRotationFailing", "OpenBaoCsiMountErrors", "OpenBaoCsiOpenBaoErrors",
                "OpenBaoCsiOpenBaoUnreachable", "OpenBaoCsiLeaseReissueStorm", "OpenBaoCsiMountLatencyHigh", "OpenBaoCsiMemoryHigh",
            },
            names.ToHashSet());
        Assert.All(names, n => Assert.StartsWith("OpenBaoCsi", n, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Alerts))]
    public void Alert_HasSeverityForSummaryAndDescription(string alert)
    {
        var rule = Rule(alert);

        Assert.Contains(rule.Str("labels", "severity"), new[] { "critical", "warning", "info" });
        Assert.Matches("^([0-9]+[smh])+$", rule.Str("for"));
        Assert.False(string.IsNullOrWhiteSpace(rule.Str("annotations", "summary")));
        Assert.False(string.IsNullOrWhiteSpace(rule.Str("annotations", "description")));
        Assert.Equal(["alert", "annotations", "expr", "for", "labels"], rule.Select(kv => kv.Key).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Alerts))]
    public void Alert_SelectsOnlySeriesTheProviderExports(string alert)
    {
        var expr = Rule(alert).Str("expr");

        Assert.NotEmpty(PromQl.Selectors(expr));
        Assert.Empty(KnownSeries.Problems(expr));
    }

    [Fact]
    public void MountErrors_CountOnlyTheProvidersSideAndRejectedOnlyTheApplications()
    {
        var ours = ResultCodes("OpenBaoCsiMountErrors");
        var theirs = ResultCodes("OpenBaoCsiMountsRejected");

        Assert.Equal(["Aborted", "DeadlineExceeded", "FailedPrecondition", "Internal", "Unknown"], ours.Order());
        Assert.Equal(["InvalidArgument", "NotFound", "PermissionDenied", "ResourceExhausted", "Unauthenticated"], theirs.Order());
        Assert.Equal("info", Rule("OpenBaoCsiMountsRejected").Str("labels", "severity"));
    }

    [Theory]
    [InlineData("openbao-csi-provider")]
    [InlineData("csi/openbao-csi-provider")]
    // The README's release for provider: vault names its objects, and so its monitors' job, vault-csi-provider.
    [InlineData("vault-csi-provider")]
    public void ProviderDown_FindsTheJobWhateverItsPrefixOrProviderName(string job)
    {
        var expr = Rule("OpenBaoCsiProviderDown").Str("expr");
        var selector = System.Text.RegularExpressions.Regex.Match(expr, "job=~\"(?<pattern>[^\"]+)\"").Groups["pattern"].Value;

        // PromQL anchors a regex matcher at both ends.
        Assert.Matches($"^(?:{selector})$", job);
        Assert.Equal(selector, System.Text.RegularExpressions.Regex.Match(Rule("OpenBaoCsiProviderAbsent").Str("expr"), "job=~\"(?<pattern>[^\"]+)\"").Groups["pattern"].Value);
    }

    [Fact]
    public void UnitTests_LoadTheRulesAndFireEveryAlert()
    {
        var tests = Yaml.LoadDocuments(UnitTestFile).Single();
        var fired = tests.Objects("tests")
            .SelectMany(t => t.Objects("alert_rule_test"))
            .Where(a => a.Find("exp_alerts") is JsonArray { Count: > 0 })
            .Select(a => a.Str("alertname"))
            .ToHashSet();
        var quiet = tests.Objects("tests")
            .SelectMany(t => t.Objects("alert_rule_test"))
            .Where(a => a.Find("exp_alerts") is JsonArray { Count: 0 })
            .Select(a => a.Str("alertname"))
            .ToHashSet();

        Assert.Equal([Path.GetFileName(RulesFile)], tests.Find("rule_files").Strings());
        Assert.Equal(AlertRules.Select(r => r.Str("alert")).Order(), fired.Order());
        Assert.Equal(fired.Order(), quiet.Order());
    }

    [ToolFact("promtool")]
    public async Task Promtool_AcceptsTheRules()
    {
        var result = await Tools.RunAsync("promtool", ["check", "rules", RulesFile]);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
    }

    [ToolFact("promtool")]
    public async Task Promtool_UnitTestsPass()
    {
        var result = await Tools.RunAsync("promtool", ["test", "rules", UnitTestFile]);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
    }

    private static JsonObject Rule(string alert) => AlertRules.Single(r => r.Str("alert") == alert);

    private static IEnumerable<string> ResultCodes(string alert)
    {
        var matcher = PromQl.Selectors(Rule(alert).Str("expr")).Select(s => s["result"]).OfType<PromQl.Matcher>().Single();
        Assert.Equal("=~", matcher.Op);
        return matcher.Value.Split('|');
    }
}
