namespace OpenBao.Csi.Provider.Demo;

/// <summary>Warm mount timings of one pod and the floor they are compared with, at one OpenBao latency.</summary>
internal sealed record LatencyResult(int Objects, TimeSpan OpenBaoLatency, Samples Floor, Samples Mount)
{
    /// <summary>Mount over floor at the same percentile: 1.0 would mean the provider adds nothing.</summary>
    public double Ratio(double fraction) => Mount.Percentile(fraction) / Floor.Percentile(fraction);
}
