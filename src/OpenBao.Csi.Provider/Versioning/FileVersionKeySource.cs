namespace OpenBao.Csi.Provider.Versioning;

/// <summary>A key read once from a file (<c>-hmac-key-file</c>), for runs outside Kubernetes or a key mounted from a Secret.</summary>
internal sealed class FileVersionKeySource : IVersionKeySource
{
    public const int MinimumKeyLength = 32;

    private readonly byte[] _key;

    public FileVersionKeySource(string path)
    {
        try
        {
            _key = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new VersionKeyException($"cannot read the version key file {path}: {ex.Message}", ex);
        }

        if (_key.Length < MinimumKeyLength)
        {
            throw new VersionKeyException(
                $"the version key file {path} holds {_key.Length} bytes; it needs at least {MinimumKeyLength} random bytes (e.g. head -c 32 /dev/urandom > {path})");
        }
    }

    public ValueTask<byte[]> GetKeyAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_key);
}
