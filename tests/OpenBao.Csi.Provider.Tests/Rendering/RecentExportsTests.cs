using OpenBao.Csi.Provider.Rendering;

namespace OpenBao.Csi.Provider.Tests.Rendering;

public sealed class RecentExportsTests
{
    [Fact]
    public void GetOrExport_SameDigest_ExportedOnce()
    {
        var recent = new RecentExports(capacity: 2);
        var exports = 0;

        var first = recent.GetOrExport("a", () => [(byte)++exports]);
        var again = recent.GetOrExport("a", () => [(byte)++exports]);

        Assert.Same(first, again);
        Assert.Equal(1, exports);
    }

    [Fact]
    public void GetOrExport_PastCapacity_ForgetsTheLeastRecentlyUsed()
    {
        var recent = new RecentExports(capacity: 2);
        var a = recent.GetOrExport("a", () => [1]);
        recent.GetOrExport("b", () => [2]);
        recent.GetOrExport("a", () => [9]);

        recent.GetOrExport("c", () => [3]);

        Assert.Same(a, recent.GetOrExport("a", () => [9]));
        Assert.Equal([8], recent.GetOrExport("b", () => [8]));
    }
}
