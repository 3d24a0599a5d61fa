using System.Diagnostics;

namespace OpenBao.Csi.Provider.Demo;

/// <summary>Timings in milliseconds and their percentiles, as every benchmark reports them.</summary>
internal sealed class Samples
{
    private readonly List<double> _milliseconds = [];
    private bool _sorted = true;

    public int Count => _milliseconds.Count;

    public double Median => Percentile(0.5);

    public double Min => Percentile(0);

    public double Max => Percentile(1);

    public static async Task<Samples> MeasureAsync(int iterations, Func<Task> call)
    {
        var samples = new Samples();
        for (var i = 0; i < iterations; i++)
        {
            await samples.TimeAsync(call);
        }

        return samples;
    }

    public async Task TimeAsync(Func<Task> call)
    {
        var started = Stopwatch.GetTimestamp();
        await call();
        Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public void Add(double milliseconds)
    {
        _milliseconds.Add(milliseconds);
        _sorted = false;
    }

    /// <summary>Nearest rank, so a p99 of 500 samples is a measured value (the 5th slowest), never an interpolation.</summary>
    public double Percentile(double fraction)
    {
        if (_milliseconds.Count == 0)
        {
            return double.NaN;
        }

        if (!_sorted)
        {
            _milliseconds.Sort();
            _sorted = true;
        }

        return _milliseconds[(int)Math.Min(_milliseconds.Count - 1, Math.Floor(fraction * _milliseconds.Count))];
    }
}
