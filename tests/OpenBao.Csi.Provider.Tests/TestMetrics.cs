using System.Diagnostics.Metrics;
using OpenBao.Csi.Provider.Metrics;

namespace OpenBao.Csi.Provider.Tests;

/// <summary>Meters for parts under test; a test that checks measurements listens with <see cref="MeterListener"/>.</summary>
internal sealed class TestMetrics : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    /// <summary>Instruments nobody listens to: recording costs nothing and goes nowhere.</summary>
    public static ProviderMetrics Unobserved { get; } = new(new TestMetrics());

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(meter => meter.Dispose());
}
