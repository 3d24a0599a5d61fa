using OpenBao.Csi.Provider.Deployment.Tests.Support;

namespace OpenBao.Csi.Provider.Deployment.Tests;

/// <summary>The selector finder the rule and dashboard checks rest on.</summary>
public sealed class PromQlTests
{
    [Theory]
    [InlineData("up{job=~\".*openbao-csi-provider.*\"} == 0", "up")]
    [InlineData("absent(up{job=~\"x\"} == 1)", "up")]
    [InlineData("histogram_quantile(0.99, sum by (poll, le) (rate(a_bucket{job=~\"$job\"}[$__rate_interval])))", "a_bucket")]
    [InlineData("sum(rate(a[5m])) by (x) / ignoring (result) group_left sum without (y) (b)", "a", "b")]
    [InlineData("a > 200 * 1024 * 1024\n  and on (job, instance)\ntarget_info{service_name=\"s\"}", "a", "target_info")]
    [InlineData("clamp_min(sum without (otel_scope_name) (a), 1) > 2 unless b offset 5m", "a", "b")]
    [InlineData("count(a) > bool Inf", "a")]
    [InlineData("a:recorded:rate5m{x=\"1\"} # a comment with b_total", "a:recorded:rate5m")]
    public void Selectors_FindsMetricNamesOnly(string expr, params string[] metrics)
    {
        Assert.Equal(metrics, PromQl.Selectors(expr).Select(s => s.Metric));
    }

    [Fact]
    public void Selectors_ReadsEveryMatcherWithEscapes()
    {
        var selector = Assert.Single(PromQl.Selectors("m{a=\"x\\\"}y\", b!~'5..|timeout' , c!=\"\", d=~`\\d+`}"));

        Assert.Equal(
            [new("a", "=", "x\"}y"), new("b", "!~", "5..|timeout"), new("c", "!=", ""), new PromQl.Matcher("d", "=~", "\\d+")],
            selector.Matchers);
    }

    [Theory]
    [InlineData("openbao_csi_mounts_total{result=\"Sucess\"}", "never has")]
    [InlineData("openbao_csi_mounts_total{result=~\"OK|Unavailble\"}", "never has")]
    [InlineData("openbao_csi_mounts_total{code=\"OK\"}", "no label 'code'")]
    [InlineData("openbao_csi_mount_total", "unknown series")]
    [InlineData("{__name__=\"up\"}", "unknown series ''")]
    public void Problems_NameWhatIsWrong(string expr, string problem)
    {
        Assert.Contains(KnownSeries.Problems(expr), p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("openbao_csi_openbao_requests_total{status=~\"5..|transport_error|timeout\", operation!=\"login\"}")]
    [InlineData("openbao_csi_leases_total{outcome=\"reissued\", pod=~\"$pod\", otel_scope_name=\"OpenBao.Csi.Provider\"}")]
    [InlineData("openbao_csi_mount_duration_seconds_bucket{le=\"+Inf\", poll=\"rotation\"}")]
    public void Problems_NoneForRealSeries(string expr)
    {
        Assert.Empty(KnownSeries.Problems(expr));
    }
}
