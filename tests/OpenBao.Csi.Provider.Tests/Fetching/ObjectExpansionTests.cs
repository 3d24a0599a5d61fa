using System.Text.Json;
using OpenBao.Csi.Provider.Fetching;
using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Tests.Fetching;

public sealed class ObjectExpansionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static SecretObject Folder(string path, string? key = null) =>
        new("config", path, null, key, "GET", null, SecretEncoding.Utf8, null, Folder: true);

    private static SecretObject History(int versions) =>
        new("key", "secret/data/shop/signing", null, "key", "GET", null, SecretEncoding.Utf8, null, VersionHistory: versions);

    [Theory]
    [InlineData("secret/data/shop/config", "LIST secret/metadata/shop/config/")]
    [InlineData("secret/data", "LIST secret/metadata/")]
    [InlineData("kv/shop", "LIST kv/shop/")]
    public void Listing_KvV2ListsMetadataKvV1ListsTheFolder(string folder, string request)
    {
        Assert.Equal(request, ObjectExpansion.Listing(Folder(folder)).ToString());
    }

    [Fact]
    public void Folder_DirectChildrenOnly_DefaultsToJsonUnlessAKeyIsChosen()
    {
        var listing = JsonDocument.Parse("""{"data":{"keys":["b","a","sub/","..","bad/name"]}}""").RootElement;

        var children = ObjectExpansion.Children(Folder("secret/data/shop/config"), listing, Now);
        var keyed = ObjectExpansion.Children(Folder("secret/data/shop/config", key: "k"), listing, Now);

        Assert.Equal(["config/a", "config/b"], children.Select(c => c.ObjectName));
        Assert.Equal(["secret/data/shop/config/a", "secret/data/shop/config/b"], children.Select(c => c.SecretPath));
        Assert.All(children, c => Assert.Equal("json", c.Format));
        Assert.All(keyed, c => Assert.Null(c.Format));
    }

    [Fact]
    public void History_LatestLiveVersionsNewestFirst()
    {
        var metadata = JsonDocument.Parse("""
            {"data":{"current_version":5,"versions":{
              "1":{"deletion_time":"","destroyed":false},
              "2":{"deletion_time":"","destroyed":true},
              "3":{"deletion_time":"","destroyed":false},
              "4":{"deletion_time":"2026-11-30T10:00:00Z","destroyed":false},
              "5":{"deletion_time":"","destroyed":false}}}}
            """).RootElement;

        var versions = ObjectExpansion.Children(History(3), metadata, Now);

        Assert.Equal(["key/0", "key/1", "key/2"], versions.Select(v => v.ObjectName));
        Assert.Equal(["version=5", "version=3", "version=1"], versions.Select(v => v.Query));
        Assert.All(versions, v => Assert.False(v.Expands));
    }

    [Fact]
    public void History_DeleteVersionAfter_VersionsLiveUntilTheirDeletionTime()
    {
        // delete_version_after gives every version a deletion time when it is written; OpenBao serves it until then.
        var metadata = JsonDocument.Parse("""
            {"data":{"current_version":3,"versions":{
              "1":{"deletion_time":"2026-12-01T11:59:59.5Z","destroyed":false},
              "2":{"deletion_time":"2026-12-01T12:30:00.123456789Z","destroyed":false},
              "3":{"deletion_time":"2026-12-01T13:00:30+01:00","destroyed":false}}}}
            """).RootElement;

        var versions = ObjectExpansion.Children(History(3), metadata, Now);

        // Go writes nanoseconds and the server's offset; a deletion 30 s ahead is OpenBao's clock running ahead of ours.
        Assert.Equal(["version=2"], versions.Select(v => v.Query));
    }
}
