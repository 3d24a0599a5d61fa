namespace OpenBao.Csi.Provider.Demo;

/// <summary>Warm mounts per second at one concurrency, and the provider's CPU time per mount (10 ms resolution over the whole run).</summary>
internal readonly record struct ThroughputResult(int Concurrency, double MountsPerSecond, double ProviderCpuMillisecondsPerMount);
