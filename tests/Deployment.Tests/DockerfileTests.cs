using System.Text.RegularExpressions;
using OpenBao.Csi.Provider.Deployment.Tests.Support;

namespace OpenBao.Csi.Provider.Deployment.Tests;

public sealed partial class DockerfileTests
{
    private readonly string _dockerfile = File.ReadAllText(Repo.Path("Dockerfile"));

    [Fact]
    public void FinalStage_IsChiseledRuntimeDepsRunningTheAotBinary()
    {
        var stages = FromLine().Matches(_dockerfile).Select(m => m.Groups["image"].Value).ToList();

        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:", stages[0], StringComparison.Ordinal);
        Assert.Matches("^mcr.microsoft.com/dotnet/runtime-deps:.*-noble-chiseled$", stages[^1]);
        Assert.Contains("ENTRYPOINT [\"/openbao-csi-provider\"]", _dockerfile, StringComparison.Ordinal);
        Assert.Contains("-p:PublishAot=true", _dockerfile, StringComparison.Ordinal);
        Assert.Contains("TARGETARCH", _dockerfile, StringComparison.Ordinal);
        Assert.DoesNotContain("HEALTHCHECK", _dockerfile, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("title")]
    [InlineData("description")]
    [InlineData("version")]
    [InlineData("source")]
    [InlineData("licenses")]
    public void Image_CarriesOciLabel(string label)
    {
        Assert.Contains($"org.opencontainers.image.{label}=", _dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void Image_IsLicensedMpl2()
    {
        Assert.Contains("org.opencontainers.image.licenses=\"MPL-2.0\"", _dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_RunsBeforeTheSourcesAreCopied()
    {
        var restore = _dockerfile.IndexOf("dotnet restore", StringComparison.Ordinal);
        var sources = _dockerfile.IndexOf("COPY src/OpenBao.Csi.Provider/ ", StringComparison.Ordinal);

        Assert.InRange(restore, 0, sources);
    }

    [Fact]
    public void DockerIgnore_KeepsBuildOutputOutOfTheContext()
    {
        var ignore = File.ReadAllLines(Repo.Path(".dockerignore"));

        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
    }

    [GeneratedRegex(@"^FROM\s+(--platform=\S+\s+)?(?<image>\S+)", RegexOptions.Multiline)]
    private static partial Regex FromLine();
}
