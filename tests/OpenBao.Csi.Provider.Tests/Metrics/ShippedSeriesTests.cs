using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using OpenBao.Csi.Provider.Metrics;

namespace OpenBao.Csi.Provider.Tests.Metrics;

/// <summary>
/// Every series the shipped dashboard and alert rules query is one the provider exports, named as
/// OpenTelemetry's Prometheus exporter names it, so a renamed instrument cannot silently blank a panel
/// or disarm an alert.
/// </summary>
public sealed partial class ShippedSeriesTests
{
    [Fact]
    public void DashboardAndAlertRules_QueryOnlySeriesTheProviderExports()
    {
        var exported = ExportedSeries();
        var root = RepositoryRoot();
        var shipped = new[] { "deploy/grafana/openbao-csi-provider.json", "deploy/prometheus/openbao-csi-provider-rules.yaml" }
            .SelectMany(file => SeriesName().Matches(File.ReadAllText(Path.Combine(root, file))).Select(m => (File: file, Series: m.Value)))
            .ToList();

        Assert.NotEmpty(shipped);
        Assert.All(shipped, reference => Assert.True(exported.Contains(reference.Series), $"{reference.File} queries {reference.Series}, which the provider does not export"));
        Assert.Contains("openbao_csi_rotation_failures_total", shipped.Select(s => s.Series));
    }

    /// <summary>The exporter's naming: dots to underscores, the unit as a suffix (s → seconds, By → bytes, {x} → none), _total on counters.</summary>
    private static HashSet<string> ExportedSeries()
    {
        using var meters = new TestMetrics();
        var instruments = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Scope == meters)
                {
                    instruments.Add(instrument);
                }
            },
        };
        listener.Start();
        var metrics = new ProviderMetrics(meters);
        metrics.ObserveSize("openbao_csi.token_cache.entries", "{token}", "", () => 0);
        metrics.ObserveSize("openbao_csi.lease_cache.entries", "{secret}", "", () => 0);
        ProcessMetrics.Register(meters, new FakeTimeProvider());

        var series = new HashSet<string>(StringComparer.Ordinal);
        foreach (var instrument in instruments)
        {
            var name = instrument.Name.Replace('.', '_') + instrument.Unit switch
            {
                "s" => "_seconds",
                "By" => "_bytes",
                _ => "",
            };
            var type = instrument.GetType().GetGenericTypeDefinition();
            if (type == typeof(Histogram<>))
            {
                series.UnionWith([name + "_bucket", name + "_sum", name + "_count"]);
            }
            else
            {
                series.Add(type == typeof(Counter<>) || type == typeof(ObservableCounter<>) ? name + "_total" : name);
            }
        }

        return series;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CsiProvider.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("CsiProvider.sln not found above the test's directory");
    }

    [GeneratedRegex(@"\b(openbao_csi|process)_[a-z_]+")]
    private static partial Regex SeriesName();
}
