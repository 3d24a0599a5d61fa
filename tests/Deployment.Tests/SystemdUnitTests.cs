using System.Text.RegularExpressions;
using OpenBao.Csi.Provider.Deployment.Tests.Support;

namespace OpenBao.Csi.Provider.Deployment.Tests;

public sealed partial class SystemdUnitTests
{
    private readonly string[] _lines = File.ReadAllLines(Repo.Path("deploy", "systemd", "openbao-csi-provider.service"));

    private string? Setting(string key) =>
        _lines.Select(l => l.Trim()).Where(l => l.StartsWith(key + "=", StringComparison.Ordinal)).Select(l => l[(key.Length + 1)..]).LastOrDefault();

    [Theory]
    [InlineData("Type", "notify")]
    [InlineData("NotifyAccess", "main")]
    [InlineData("NoNewPrivileges", "yes")]
    [InlineData("ProtectSystem", "strict")]
    [InlineData("CapabilityBoundingSet", "")]
    [InlineData("ReadWritePaths", "/etc/kubernetes/secrets-store-csi-providers")]
    [InlineData("MemoryDenyWriteExecute", "yes")]
    [InlineData("SystemCallFilter", "@system-service")]
    public void Unit_IsANotifyServiceWithHardening(string key, string value)
    {
        Assert.Equal(value, Setting(key));
    }

    [Fact]
    public void Unit_ExecStartUsesOnlyDocumentedFlags()
    {
        var readme = File.ReadAllText(Repo.Path("README.md"));
        var start = string.Join(' ', _lines.SkipWhile(l => !l.StartsWith("ExecStart=", StringComparison.Ordinal)).TakeWhile(l => l.TrimEnd().EndsWith('\\') || l.StartsWith("ExecStart=", StringComparison.Ordinal)))
            + " " + _lines.SkipWhile(l => !l.StartsWith("ExecStart=", StringComparison.Ordinal)).SkipWhile(l => l.TrimEnd().EndsWith('\\')).First();

        var flags = Flag().Matches(start).Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.Contains("endpoint", flags);
        Assert.All(flags, flag => Assert.Contains($"| `-{flag}`", readme, StringComparison.Ordinal));
        Assert.Contains("/etc/kubernetes/secrets-store-csi-providers/openbao.sock", start, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\s-([a-z][a-z-]+)=")]
    private static partial Regex Flag();
}
