using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Hosting;
using OpenBao.Csi.Provider.Shell;

namespace OpenBao.Csi.Provider.Tests.Shell;

public sealed class MountCommandLineTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private static MountOptions Parse(params string[] args) => MountCommandLine.Parse(args, NoEnvironment)!;

    [Fact]
    public void Parse_OnlyRequired_LeavesTheRestToTheirDefaults()
    {
        var options = Parse("-f", "spc.yaml", "-pod", "shop/app-0");

        Assert.Equal(("spc.yaml", "shop", "app-0"), (options.ManifestPath, options.PodNamespace, options.PodName));
        Assert.Null(options.PodUid);
        Assert.Null(options.ServiceAccount);
        Assert.Null(options.TokenFile);
        Assert.Null(options.Audience);
        Assert.Null(options.Socket);
        Assert.Null(options.TargetDirectory);
        Assert.Null(options.WatchInterval);
        Assert.Equal(new Uri("https://127.0.0.1:8200"), options.Server.OpenBaoAddress);
    }

    [Fact]
    public void Parse_EveryOwnFlag_IsApplied()
    {
        var options = Parse(
            "-f=-", "--pod", "shop/app-0", "-pod-uid=5c0e6b1a", "-service-account", "app", "-token-file=/run/token", "-audience=vault",
            "-socket", "/provider/openbao.sock", "-target=/tmp/secrets", "-watch=1m30s", "-kubeconfig=/kube/config");

        Assert.Equal("-", options.ManifestPath);
        Assert.Equal("5c0e6b1a", options.PodUid);
        Assert.Equal("app", options.ServiceAccount);
        Assert.Equal("/run/token", options.TokenFile);
        Assert.Equal("vault", options.Audience);
        Assert.Equal("/provider/openbao.sock", options.Socket);
        Assert.Equal("/tmp/secrets", options.TargetDirectory);
        Assert.Equal(TimeSpan.FromSeconds(90), options.WatchInterval);
        Assert.Equal("/kube/config", options.Server.Kubeconfig);
    }

    [Fact]
    public void Parse_ServerFlags_ConfigureTheInProcessPipeline()
    {
        var options = Parse(
            "-f=spc.yaml", "-pod=shop/app-0", "-vault-addr=http://127.0.0.1:8200", "-openbao-tls-ca-cert=/ca.pem", "-openbao-tls-skip-verify",
            "-openbao-mount=jwt", "-hmac-key-file=/key", "-mount-timeout=10s", "-log-level=debug");

        Assert.Equal(new Uri("http://127.0.0.1:8200"), options.Server.OpenBaoAddress);
        Assert.Equal("/ca.pem", options.Server.OpenBaoTls.CaCertPath);
        Assert.True(options.Server.OpenBaoTls.SkipVerify);
        Assert.Equal("jwt", options.Server.OpenBaoAuthMount);
        Assert.Equal("/key", options.Server.HmacKeyFile);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Server.MountTimeout);
        Assert.Equal(LogLevel.Debug, options.Server.LogLevel);
    }

    [Fact]
    public void Parse_Environment_SetsTheOpenBaoAddressAndReachesKubernetesDiscovery()
    {
        var environment = new Dictionary<string, string> { ["BAO_ADDR"] = "https://bao:8200", ["KUBECONFIG"] = "/kube/config" };

        var options = MountCommandLine.Parse(["-f=spc.yaml", "-pod=shop/app-0"], environment.GetValueOrDefault)!;

        Assert.Equal(new Uri("https://bao:8200"), options.Server.OpenBaoAddress);
        Assert.Equal("/kube/config", options.Server.Environment("KUBECONFIG"));
    }

    [Fact]
    public void Parse_SocketWithKubeconfigAndEnvironment_IsAccepted()
    {
        var options = MountCommandLine.Parse(["-f=spc.yaml", "-pod=shop/app-0", "-socket=/s.sock", "-kubeconfig=/k"], name => name == "BAO_ADDR" ? "https://bao:8200" : null)!;

        Assert.Equal("/s.sock", options.Socket);
    }

    [Theory]
    [InlineData("missing flag -f", "-pod=shop/app-0")]
    [InlineData("missing flag -pod", "-f=spc.yaml")]
    [InlineData("invalid value \"shop\" for flag -pod: expected NAMESPACE/NAME", "-f=spc.yaml", "-pod=shop")]
    [InlineData("invalid value \"shop/\" for flag -pod", "-f=spc.yaml", "-pod=shop/")]
    [InlineData("invalid value \"/app\" for flag -pod", "-f=spc.yaml", "-pod=/app")]
    [InlineData("invalid value \"a/b/c\" for flag -pod", "-f=spc.yaml", "-pod=a/b/c")]
    [InlineData("invalid value \"soon\" for flag -watch", "-f=spc.yaml", "-pod=shop/app-0", "-watch=soon")]
    [InlineData("invalid value \"\" for flag -f", "-f=", "-pod=shop/app-0")]
    [InlineData("flag needs an argument: -target", "-f=spc.yaml", "-pod=shop/app-0", "-target")]
    [InlineData("flag provided but not defined: -endpoint", "-f=spc.yaml", "-pod=shop/app-0", "-endpoint=/x.sock")]
    [InlineData("flag provided but not defined: -bogus", "-bogus", "-f=spc.yaml", "-pod=shop/app-0")]
    [InlineData("unexpected argument 'spc.yaml'", "spc.yaml")]
    [InlineData("flag -openbao-addr applies only to in-process mounts", "-f=spc.yaml", "-pod=shop/app-0", "-socket=/s.sock", "-openbao-addr=https://bao:8200")]
    [InlineData("flag -vault-namespace applies only to in-process mounts", "-f=spc.yaml", "-pod=shop/app-0", "-vault-namespace=team", "-socket=/s.sock")]
    public void Parse_BadUsage_OneLineNamingTheFlag(string expected, params string[] args)
    {
        var error = Assert.Throws<FlagException>(() => Parse(args));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Parse_Help_ReturnsNull()
    {
        Assert.Null(MountCommandLine.Parse(["-f=spc.yaml", "-help"], NoEnvironment));
    }

    [Theory]
    [InlineData("-f FILE", "(required")]
    [InlineData("-pod NAMESPACE/NAME", "(required)")]
    [InlineData("-pod-uid UID", "(default: ")]
    [InlineData("-service-account NAME", "(default: ")]
    [InlineData("-token-file PATH", "(default: ")]
    [InlineData("-audience AUDIENCE", "(default: ")]
    [InlineData("-socket PATH", "(default: ")]
    [InlineData("-target DIR", "(default: ")]
    [InlineData("-watch INTERVAL", "(default: ")]
    [InlineData("-kubeconfig", "(default: ")]
    [InlineData("-openbao-addr (or -vault-addr)", "(default https://127.0.0.1:8200)")]
    [InlineData("-openbao-tls-skip-verify (or -vault-tls-skip-verify)", "default false")]
    [InlineData("-mount-timeout", "(default 1m30s)")]
    [InlineData("-hmac-key-file", "(default: ")]
    [InlineData("-log-level", "(default warn)")]
    public void Usage_ListsEachFlagWithItsDefault(string flag, string @default)
    {
        var lines = MountCommandLine.Usage.Split('\n');

        var at = Array.FindIndex(lines, line => line == $"  {flag}");
        Assert.True(at >= 0, $"no usage line for {flag}");
        Assert.Contains(@default, lines[at + 1], StringComparison.Ordinal);
    }
}
