using OpenBao.Csi.Provider.Rendering;

namespace OpenBao.Csi.Provider.Tests.Rendering;

public sealed class RecentExportsTests
{
    [Fact]
    public void GetOrExport_SameDigest_ExportedOnce()
    {
        var recent = new RecentExports(maxBytes: 2, maxEntryBytes: 1);
        var exports = 0;

        var first = recent.GetOrExport("a", () => [(byte)++exports]);
        var again = recent.GetOrExport("a", () => [(byte)++exports]);

        Assert.Same(first, again);
        Assert.Equal(1, exports);
    }

    [Fact]
    public void GetOrExport_PastItsBytes_ForgetsTheLeastRecentlyUsed()
    {
        var recent = new RecentExports(maxBytes: 2, maxEntryBytes: 1);
        var a = recent.GetOrExport("a", () => [1]);
        recent.GetOrExport("b", () => [2]);
        recent.GetOrExport("a", () => [9]);

        recent.GetOrExport("c", () => [3]);

        Assert.Same(a, recent.GetOrExport("a", () => [9]));
        Assert.Equal([8], recent.GetOrExport("b", () => [8]));
    }

    [Fact]
    public void GetOrExport_LargerThanAnEntryMayBe_NotRememberedAndNothingForgotten()
    {
        var recent = new RecentExports(maxBytes: 4, maxEntryBytes: 2);
        var a = recent.GetOrExport("a", () => [1]);

        recent.GetOrExport("big", () => [1, 2, 3]);

        Assert.Equal([7, 7, 7], recent.GetOrExport("big", () => [7, 7, 7]));
        Assert.Same(a, recent.GetOrExport("a", () => [9]));
    }

    [Fact]
    public void GetOrExport_SameInputExportedMeanwhile_BothAnswerWithTheBytesRememberedFirst()
    {
        var recent = new RecentExports(maxBytes: 4, maxEntryBytes: 1);
        byte[]? meanwhile = null;

        var outer = recent.GetOrExport("a", () =>
        {
            meanwhile = recent.GetOrExport("a", () => [2]);
            return [1];
        });

        Assert.Equal([2], outer);
        Assert.Same(meanwhile, outer);
    }
}
