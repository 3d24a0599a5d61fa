namespace OpenBao.Csi.Provider.Demo;

/// <summary>
/// A fresh provider's memory before a burst of mounts, its peak (VmHWM, MiB) right after the burst,
/// and once it settled, with the peak read again then: background work after the burst (tiered
/// recompilation, a collection) can still raise it.
/// </summary>
internal readonly record struct BurstMemory(ResidentMemory BeforeBurst, double Peak, ResidentMemory Settled, double PeakAfterSettling);
