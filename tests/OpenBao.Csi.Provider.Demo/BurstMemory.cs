namespace OpenBao.Csi.Provider.Demo;

/// <summary>
/// A fresh provider's memory before a burst of mounts, its peak (VmHWM, MiB) right after the burst,
/// and once its start-up release has run, with the peak read again then: that compacting collection,
/// if it comes after the burst, can still raise it.
/// </summary>
internal readonly record struct BurstMemory(ResidentMemory BeforeBurst, double Peak, ResidentMemory Settled, double PeakAfterSettling);
