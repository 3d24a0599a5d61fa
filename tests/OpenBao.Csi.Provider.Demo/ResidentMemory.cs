namespace OpenBao.Csi.Provider.Demo;

/// <summary>
/// Resident memory in MiB: anonymous pages (heaps, stacks), and the rest, pages of mapped files
/// (binary, libraries, assemblies) and of shared memory, which in a JIT build is mostly the memfd
/// that maps generated code twice (writable, executable) for W^X.
/// </summary>
internal readonly record struct ResidentMemory(double Rss, double Anonymous, double SharedMemory)
{
    public double MappedFiles => Rss - Anonymous;
}
