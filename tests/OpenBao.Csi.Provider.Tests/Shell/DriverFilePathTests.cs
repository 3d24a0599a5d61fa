using OpenBao.Csi.Provider.Shell;

namespace OpenBao.Csi.Provider.Tests.Shell;

public sealed class DriverFilePathTests
{
    [Theory]
    [InlineData("pw")]
    [InlineData("certs/tls.crt")]
    [InlineData(".env")]
    [InlineData("a/.hidden/b")]
    [InlineData("versions/0")]
    public void Problem_PathsTheDriverWrites_None(string path)
    {
        Assert.Null(DriverFilePath.Problem(path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/abs")]
    [InlineData("..")]
    [InlineData("a/..")]
    [InlineData("..x")]
    [InlineData("a/b/")]
    [InlineData(".")]
    [InlineData("a/./b")]
    [InlineData("nul\0byte")]
    public void Problem_PathsTheDriverRefuses_Named(string path)
    {
        Assert.NotNull(DriverFilePath.Problem(path));
    }

    [Fact]
    public void Problem_LongNames_RefusedAsTheDriverDoes()
    {
        Assert.NotNull(DriverFilePath.Problem(new string('a', 256)));
        Assert.Null(DriverFilePath.Problem(new string('a', 255)));
        Assert.NotNull(DriverFilePath.Problem(string.Join('/', Enumerable.Repeat(new string('a', 200), 21))));
    }
}
