using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenBao.Csi.Provider.Deployment.Tests.Support;

namespace OpenBao.Csi.Provider.Deployment.Tests;

/// <summary>deploy/grafana: a dashboard that imports anywhere and asks only for the provider's series.</summary>
public sealed partial class GrafanaDashboardTests
{
    private static readonly string DashboardFile = Repo.Path("deploy", "grafana", "openbao-csi-provider.json");
    private static readonly string[] FilterVariables = ["job", "namespace", "pod"];
    private readonly JsonObject _dashboard = JsonNode.Parse(File.ReadAllText(DashboardFile))!.AsObject();

    private IEnumerable<JsonObject> Panels => _dashboard.Objects("panels")
        .SelectMany(p => p.Find("panels") is JsonArray nested ? [p, .. nested.Select(n => n!.AsObject())] : new[] { p });

    private IEnumerable<JsonObject> QueryPanels => Panels.Where(p => p.Str("type") != "row");

    private IEnumerable<(string Panel, string Expr)> Expressions =>
        QueryPanels.SelectMany(p => p.Objects("targets").Select(t => (p.Str("title"), t.Str("expr"))));

    [Fact]
    public void Dashboard_HasAFixedUidAndACurrentSchema()
    {
        Assert.Equal("openbao-csi-provider", _dashboard.Str("uid"));
        Assert.InRange(_dashboard.At("schemaVersion").GetValue<int>(), 36, 41);
        Assert.NotEmpty(_dashboard.Str("title"));
        Assert.Null(_dashboard.Find("id"));
    }

    [Fact]
    public void Variables_AreAPrometheusDatasourceAndJobNamespacePodFilters()
    {
        var variables = _dashboard.Objects("templating", "list").ToDictionary(v => v.Str("name"));

        Assert.Equal(["datasource", .. FilterVariables], variables.Keys);
        Assert.Equal(("datasource", "prometheus"), (variables["datasource"].Str("type"), variables["datasource"].Str("query")));
        foreach (var name in FilterVariables)
        {
            var variable = variables[name];
            var query = variable.Str("query", "query");
            Assert.Equal("query", variable.Str("type"));
            Assert.Equal("${datasource}", variable.Str("datasource", "uid"));
            Assert.Matches($@"^label_values\(.+, {name}\)$", query);
            Assert.Empty(KnownSeries.Problems(LabelValuesSelector().Match(query).Groups[1].Value));
            Assert.True(variable.At("includeAll").GetValue<bool>());
            Assert.Equal(".*", variable.Str("allValue"));
        }
    }

    [Fact]
    public void Rows_FollowTheMountsPath()
    {
        var rows = _dashboard.Objects("panels").Where(p => p.Str("type") == "row").Select(p => p.Str("title"));

        Assert.Equal(["Mounts", "Rotation", "OpenBao", "Caches and leases", "Process"], rows);
    }

    [Fact]
    public void Panels_HaveUniqueIdsTheDatasourceVariableAndADescription()
    {
        var ids = Panels.Select(p => p.At("id").GetValue<int>()).ToList();

        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.All(QueryPanels, p =>
        {
            Assert.Equal("${datasource}", p.Str("datasource", "uid"));
            Assert.NotEmpty(p.Str("description"));
            Assert.NotEmpty(p.Objects("targets"));
            Assert.All(p.Objects("targets"), t => Assert.Equal("${datasource}", t.Str("datasource", "uid")));
        });
    }

    [Fact]
    public void Panels_FitTheGridWithoutOverlapping()
    {
        var boxes = Panels.Select(p => (Title: p.Str("title"), X: Int(p, "x"), Y: Int(p, "y"), W: Int(p, "w"), H: Int(p, "h"))).ToList();

        Assert.All(boxes, b => Assert.True(b.X >= 0 && b.W > 0 && b.X + b.W <= 24, $"{b.Title} leaves the 24 columns"));
        foreach (var (a, i) in boxes.Select((b, i) => (b, i)))
        {
            foreach (var b in boxes.Skip(i + 1))
            {
                var overlap = a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;
                Assert.False(overlap, $"'{a.Title}' and '{b.Title}' overlap");
            }
        }

        static int Int(JsonObject panel, string field) => panel.At("gridPos", field).GetValue<int>();
    }

    [Fact]
    public void Expressions_SelectOnlySeriesTheProviderExports()
    {
        var problems = Expressions.SelectMany(e => KnownSeries.Problems(e.Expr).Select(p => $"{e.Panel}: {p}")).ToList();

        Assert.NotEmpty(Expressions);
        Assert.Empty(problems);
    }

    [Fact]
    public void Expressions_FilterEverySeriesByJobNamespaceAndPod()
    {
        var unfiltered = Expressions
            .SelectMany(e => PromQl.Selectors(e.Expr).Select(s => (e.Panel, Selector: s)))
            .Where(x => FilterVariables.Any(v => !(x.Selector[v] is { Op: "=~" } m && m.Value == "$" + v)))
            .Select(x => $"{x.Panel}: {x.Selector.Metric}")
            .ToList();

        Assert.Empty(unfiltered);
    }

    [Fact]
    public void Expressions_UseTheRateIntervalAndAggregateQuantilesByLe()
    {
        foreach (var (panel, expr) in Expressions)
        {
            Assert.All(RangeSelector().Matches(expr), m => Assert.Equal("[$__rate_interval]", m.Value));
            if (expr.Contains("histogram_quantile", StringComparison.Ordinal))
            {
                Assert.Matches(@"by \([^)]*\ble\)", expr);
                Assert.Contains("_bucket{", expr, StringComparison.Ordinal);
            }

            Assert.False(string.IsNullOrWhiteSpace(panel));
        }
    }

    [Fact]
    public void Dashboard_ShowsEveryProviderSeriesFamily()
    {
        var used = Expressions.SelectMany(e => PromQl.Selectors(e.Expr)).Select(s => s.Metric).ToHashSet();
        var families = KnownSeries.All.Keys
            .Where(n => n.StartsWith("openbao_csi_", StringComparison.Ordinal))
            .Select(n => Regex.Replace(n, "_(bucket|sum|count)$", ""))
            .Distinct();

        Assert.All(families, f => Assert.Contains(used, u => u.StartsWith(f, StringComparison.Ordinal)));
    }

    [GeneratedRegex(@"^label_values\((.+), [a-z_]+\)$")]
    private static partial Regex LabelValuesSelector();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex RangeSelector();
}
