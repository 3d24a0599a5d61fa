using OpenBao.Csi.Provider.Versioning;

namespace OpenBao.Csi.Provider.Tests.Versioning;

public sealed class FileVersionKeySourceTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"version-key-{Guid.NewGuid():N}");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public async Task GetKeyAsync_KeyFile_ReturnsItsBytes()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        await File.WriteAllBytesAsync(_path, key);

        Assert.Equal(key, await new FileVersionKeySource(_path).GetKeyAsync(default));
    }

    [Fact]
    public async Task Constructor_ShortKey_SaysHowToMakeOne()
    {
        await File.WriteAllBytesAsync(_path, new byte[8]);

        var error = Assert.Throws<VersionKeyException>(() => new FileVersionKeySource(_path));

        Assert.Contains("holds 8 bytes; it needs at least 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MissingFile_NamesIt()
    {
        var error = Assert.Throws<VersionKeyException>(() => new FileVersionKeySource(_path));

        Assert.Contains(_path, error.Message, StringComparison.Ordinal);
    }
}
