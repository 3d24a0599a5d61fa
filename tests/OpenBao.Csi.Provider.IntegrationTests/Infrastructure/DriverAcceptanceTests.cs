using Csi.Driver.Emulator;
using Google.Protobuf;
using OpenBao.Csi.Provider.V1Alpha1;
using File = OpenBao.Csi.Provider.V1Alpha1.File;

namespace OpenBao.Csi.Provider.IntegrationTests.Infrastructure;

/// <summary>The check every test's Mount answer passes refuses what the driver refuses.</summary>
public sealed class DriverAcceptanceTests
{
    private static MountResponse Answer(params string[] paths)
    {
        var response = new MountResponse();
        foreach (var path in paths)
        {
            response.Files.Add(new File { Path = path, Mode = 420, Contents = ByteString.CopyFromUtf8("x") });
            response.ObjectVersion.Add(new ObjectVersion { Id = path, Version = "v1" });
        }

        return response;
    }

    [Fact]
    public void Problems_AnAnswerTheDriverWrites_None()
    {
        Assert.Empty(DriverAcceptance.Problems(Answer("db-password", "certs/tls.crt", "a..b", ".hidden")));
    }

    [Theory]
    [InlineData("a//b", "not in clean form")]
    [InlineData("a/./b", "not in clean form")]
    [InlineData("a/", "not in clean form")]
    [InlineData("/etc/passwd", "absolute path")]
    [InlineData("a/../b", "contains '..'")]
    [InlineData("..data", "starts with '..'")]
    [InlineData("", "empty path")]
    public void Problems_APathTheDriverRefuses_Named(string path, string problem)
    {
        Assert.Contains($"file '{path}': {problem}", DriverAcceptance.Problems(Answer(path)));
    }

    [Fact]
    public void Problems_SamePathTwiceOrNoVersionsOrAnErrorCode_Named()
    {
        var twice = Answer("a", "a");
        var unversioned = Answer("a");
        unversioned.ObjectVersion.Clear();
        var failed = Answer("a");
        failed.Error = new Error { Code = "ProviderError" };

        Assert.Contains("file 'a' is listed 2 times", DriverAcceptance.Problems(twice));
        Assert.Contains("it has no object versions", DriverAcceptance.Problems(unversioned));
        Assert.Contains("it carries provider error code ProviderError", DriverAcceptance.Problems(failed));
    }
}
