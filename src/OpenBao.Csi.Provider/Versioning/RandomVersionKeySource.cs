using System.Security.Cryptography;

namespace OpenBao.Csi.Provider.Versioning;

/// <summary>
/// A key that lives as long as the process. Versions change on every restart: the driver writes files only
/// when their bytes differ, but records a rotation for every pod, which is noisy, hence the start-up warning.
/// </summary>
internal sealed class RandomVersionKeySource : IVersionKeySource
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(FileVersionKeySource.MinimumKeyLength);

    public ValueTask<byte[]> GetKeyAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_key);
}
