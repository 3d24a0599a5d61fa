namespace OpenBao.Csi.Provider.Versioning;

/// <summary>Where the HMAC key for object versions comes from. Implementations cache: this is called on every mount.</summary>
internal interface IVersionKeySource
{
    ValueTask<byte[]> GetKeyAsync(CancellationToken cancellationToken);
}
