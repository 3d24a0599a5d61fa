using System.Text;
using OpenBao.Csi.Provider.Mounting;
using OpenBao.Csi.Provider.Rendering;
using OpenBao.Csi.Provider.Versioning;

namespace OpenBao.Csi.Provider.Tests.Versioning;

public sealed class ObjectVersionerTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly SecretObject Secret = new("db-password", "secret/data/db", null, "password", "GET", null, SecretEncoding.Utf8, null);

    private static string Version(string content, SecretObject? secret = null, int mode = 420, byte[]? key = null) =>
        ObjectVersioner.Compute(key ?? Key, new RenderedFile(secret ?? Secret, mode, Encoding.UTF8.GetBytes(content)));

    [Fact]
    public void Compute_SameInputs_SameVersion()
    {
        Assert.Equal(Version("hunter2"), Version("hunter2"));
    }

    [Fact]
    public void Compute_KnownInputs_KnownVersion()
    {
        // Pinned (computed independently with Python hmac) so a change of the canonical form, which would rewrite
        // every file on every node, is deliberate.
        Assert.Equal("vu5X_gh3zdkrG0rbvMXaaqJIqFAMrFURQIYkPx7zlVA", Version("hunter2"));
    }

    [Fact]
    public void Compute_AnyChange_NewVersion()
    {
        var versions = new[]
        {
            Version("hunter2"),
            Version("hunter3"),
            Version("hunter2", mode: 384),
            Version("hunter2", Secret with { SecretKey = "other" }),
            Version("hunter2", Secret with { Query = "version=1" }),
            Version("hunter2", key: [.. Key.Reverse()]),
        };

        Assert.Equal(versions.Length, versions.Distinct().Count());
    }

    [Fact]
    public void Compute_OneObjectPolledAsItsContentChanges_VersionFollowsEachPoll()
    {
        // Polls of one parsed object are answered from the last version while the content stays the same.
        var secret = Secret with { ObjectName = "polled" };
        var first = Version("hunter2", secret);

        Assert.Equal(first, Version("hunter2", secret));
        Assert.NotEqual(first, Version("hunter3", secret));
        Assert.NotEqual(first, Version("hunter2", secret, mode: 384));
        Assert.NotEqual(first, Version("hunter2", secret, key: [.. Key.Reverse()]));
        Assert.Equal(first, Version("hunter2", secret));
        Assert.Equal(first, Version("hunter2", Secret with { ObjectName = "polled" }));
    }

    [Fact]
    public void Compute_Version_IsUrlSafeAndRevealsNoContent()
    {
        var version = Version("hunter2");

        Assert.Matches("^[A-Za-z0-9_-]{43}$", version);
        Assert.DoesNotContain("hunter2", version, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("hunter2")).TrimEnd('='), version, StringComparison.Ordinal);
    }
}
