using System.Security.Cryptography;

namespace OpenBao.Csi.Provider.Versioning;

/// <summary>
/// A key that lives as long as the process. Versions change on every restart, which makes the
/// driver rewrite every file once: correct, but noisy, hence the start-up warning.
/// </summary>
internal sealed class RandomVersionKeySource : IVersionKeySource
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(FileVersionKeySource.MinimumKeyLength);

    public ValueTask<byte[]> GetKeyAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_key);
}
