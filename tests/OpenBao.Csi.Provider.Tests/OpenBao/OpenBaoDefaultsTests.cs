using OpenBao.Csi.Provider.Mounting;
using OpenBao.Csi.Provider.OpenBao;

namespace OpenBao.Csi.Provider.Tests.OpenBao;

public sealed class OpenBaoDefaultsTests
{
    private static readonly OpenBaoDefaults Flags = new(
        new Uri("https://bao.flags:8200"),
        "flag-ns",
        "kubernetes",
        new OpenBaoTlsSettings("/flags/ca.pem", "/flags/cas", "bao.flags", "/flags/c.pem", "/flags/k.pem", SkipVerify: false));

    [Fact]
    public void Apply_NothingOverridden_UsesFlags()
    {
        var (connection, authMount) = Flags.Apply(new OpenBaoOverrides());

        Assert.Equal(new OpenBaoConnection(Flags.Address, "flag-ns", Flags.Tls), connection);
        Assert.Equal("kubernetes", authMount);
        // The very object, which the client factory recognises without comparing its fields.
        Assert.Same(Flags.Tls, connection.Tls);
    }

    [Fact]
    public void Apply_SecretProviderClassSettings_WinFieldByField()
    {
        var (connection, authMount) = Flags.Apply(new OpenBaoOverrides(
            Address: "https://bao.spc:8200", Namespace: "spc-ns", AuthMount: "jwt", CaCertPath: "/spc/ca.pem", SkipVerify: true));

        Assert.Equal(new Uri("https://bao.spc:8200"), connection.Address);
        Assert.Equal("spc-ns", connection.Namespace);
        Assert.Equal("jwt", authMount);
        Assert.Equal(new OpenBaoTlsSettings("/spc/ca.pem", "/flags/cas", "bao.flags", "/flags/c.pem", "/flags/k.pem", SkipVerify: true), connection.Tls);
    }

    [Theory]
    [InlineData(false, null, false)]
    [InlineData(false, true, true)]
    [InlineData(false, false, false)]
    [InlineData(true, null, true)]
    // As the Go providers: a class's "false" (example classes spell it out) does not undo the flag.
    [InlineData(true, false, true)]
    public void Apply_SkipVerify_TheFlagOrTheClassTurnsItOn(bool flag, bool? secretProviderClass, bool skipped)
    {
        var flags = Flags with { Tls = Flags.Tls with { SkipVerify = flag } };

        var (connection, _) = flags.Apply(new OpenBaoOverrides(SkipVerify: secretProviderClass));

        Assert.Equal(skipped, connection.Tls.SkipVerify);
    }

    [Fact]
    public void UnixSocketPath_OnlyForUnixAddresses()
    {
        var (agent, _) = Flags.Apply(new OpenBaoOverrides(Address: "unix:///var/run/openbao/agent.sock"));

        Assert.Equal("/var/run/openbao/agent.sock", agent.UnixSocketPath);
        Assert.Null(Flags.Apply(new OpenBaoOverrides()).Connection.UnixSocketPath);
    }

    [Fact]
    public void Failover_SecretProviderClassWinsOverTheFlag()
    {
        var withFlag = Flags with { FailoverAddress = new Uri("https://bao-dr.example:8200") };

        Assert.Null(Flags.Failover(new OpenBaoOverrides()));
        Assert.Equal(new Uri("https://bao-dr.example:8200"), withFlag.Failover(new OpenBaoOverrides()));
        Assert.Equal(new Uri("https://bao-eu.example:8200"), withFlag.Failover(new OpenBaoOverrides(FailoverAddress: "https://bao-eu.example:8200")));
    }
}
