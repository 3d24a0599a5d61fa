using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Hosting;

namespace OpenBao.Csi.Provider.Tests.Hosting;

public sealed class CommandLineTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private static ProviderOptions Parse(params string[] args) => CommandLine.Parse(args, NoEnvironment)!;

    [Theory]
    [InlineData("-endpoint=/provider/vault.sock", "vault-csi-provider-hmac-key", "vault")]
    [InlineData("-endpoint=/provider/openbao.sock", "openbao-csi-provider-hmac-key", "openbao")]
    public void Parse_Endpoint_PicksTheKeySecretAndAudienceOfTheProviderItReplaces(string endpoint, string secret, string audience)
    {
        var options = Parse(endpoint);

        Assert.Equal((secret, audience), (options.HmacSecretName, options.DefaultAudience));
    }

    [Fact]
    public void Parse_VaultSocketWithExplicitKeySecretAndAudience_TheFlagsWin()
    {
        var options = Parse("-hmac-secret-name=mine", "-default-audience=openbao", "-endpoint=/provider/vault.sock");

        Assert.Equal(("mine", "openbao"), (options.HmacSecretName, options.DefaultAudience));
    }

    [Fact]
    public void Usage_EveryFlagShowsItsDefault()
    {
        var descriptions = CommandLine.Usage.Split('\n').Where(line => line.StartsWith("        ", StringComparison.Ordinal)).ToList();

        Assert.Equal(CommandLine.Usage.Split('\n').Count(line => line.StartsWith("  -", StringComparison.Ordinal)), descriptions.Count);
        Assert.All(descriptions, line => Assert.Contains("default", line, StringComparison.Ordinal));
    }

    /// <summary>A default written as a value is the value the program uses: passing it changes nothing.</summary>
    [Fact]
    public void Usage_ShownDefaultValues_AreTheRealDefaults()
    {
        var lines = CommandLine.Usage.Split('\n');
        var shown = lines
            .Select((line, i) => (Flag: line.TrimStart().Split(' ')[0], Description: i + 1 < lines.Length ? lines[i + 1] : ""))
            .Where(pair => pair.Flag.StartsWith('-'))
            .Select(pair => (pair.Flag, Default: System.Text.RegularExpressions.Regex.Match(pair.Description, @"\(default ([^\s;,)]+)")))
            .Where(pair => pair.Default.Success)
            .Select(pair => (pair.Flag, Value: pair.Default.Groups[1].Value))
            .ToList();

        Assert.True(shown.Count >= 15, $"only {shown.Count} defaults shown as values");
        Assert.All(shown, pair => Assert.Equal(Fingerprint(Parse()), Fingerprint(Parse($"{pair.Flag}={pair.Value}"))));
    }

    /// <summary>
    /// Every option's value as text; fractions to two places, as the usage prints them. The raw log level is
    /// left out: it records whether one was given (an explicit one beats -debug); the effective level stays in.
    /// </summary>
    private static string Fingerprint(ProviderOptions options) => string.Join(
        "; ",
        typeof(ProviderOptions).GetProperties()
            .Where(property => property.PropertyType != typeof(Func<string, string?>) && property.Name != nameof(ProviderOptions.LogLevel))
            .Select(property => property.GetValue(options) switch
            {
                double fraction => $"{property.Name}={fraction:0.00}",
                IEnumerable<uint> set => $"{property.Name}={string.Join(",", set.Order())}",
                var value => $"{property.Name}={value}",
            }));

    [Fact]
    public void Parse_NoArguments_GivesGoProviderDefaults()
    {
        var options = Parse();

        Assert.Equal("/tmp/openbao.sock", options.Endpoint);
        Assert.Equal(new Uri("https://127.0.0.1:8200"), options.OpenBaoAddress);
        Assert.Equal("kubernetes", options.OpenBaoAuthMount);
        Assert.Equal(new HealthAddress(null, 8080), options.HealthAddress);
        Assert.Equal("openbao-csi-provider-hmac-key", options.HmacSecretName);
        Assert.Equal(1000, options.CacheSize);
        Assert.Equal("openbao", options.DefaultAudience);
        Assert.Equal(LogLevel.Information, options.EffectiveLogLevel);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, options.SocketMode);
        Assert.Equal([0u], options.AllowedPeerUids);
        Assert.Equal(TimeSpan.FromSeconds(90), options.MountTimeout);
        Assert.Equal(4 * 1024 * 1024, options.OpenBaoMaxResponseBytes);
    }

    [Theory]
    [InlineData("-endpoint=/provider/openbao.sock")]
    [InlineData("--endpoint=/provider/openbao.sock")]
    [InlineData("-endpoint", "/provider/openbao.sock")]
    [InlineData("--endpoint", "/provider/openbao.sock")]
    public void Parse_AllFourSpellings_Work(params string[] args)
    {
        Assert.Equal("/provider/openbao.sock", Parse(args).Endpoint);
    }

    [Fact]
    public void Parse_VaultAliases_SetTheSameOptions()
    {
        var options = Parse(
            "-vault-addr=https://vault:8200", "-vault-mount=k8s", "-vault-namespace=team", "-vault-tls-ca-cert=/ca.pem",
            "-vault-tls-ca-directory=/cas", "-vault-tls-server-name=vault.internal", "-vault-tls-client-cert=/c.pem",
            "-vault-tls-client-key=/k.pem", "-vault-tls-skip-verify");

        Assert.Equal(new Uri("https://vault:8200"), options.OpenBaoAddress);
        Assert.Equal(new Uri("unix:///agent.sock"), Parse("-vault-addr=unix:///agent.sock").OpenBaoAddress);
        Assert.Equal(0, Parse("-cache-size=0").CacheSize);
        Assert.Equal("k8s", options.OpenBaoAuthMount);
        Assert.Equal("team", options.OpenBaoNamespace);
        Assert.Equal(new("/ca.pem", "/cas", "vault.internal", "/c.pem", "/k.pem", true), options.OpenBaoTls);
    }

    [Fact]
    public void Parse_Environment_BaoBeatsVaultAndFlagsBeatBoth()
    {
        var environment = new Dictionary<string, string> { ["BAO_ADDR"] = "https://bao:8200", ["VAULT_ADDR"] = "https://vault:8200", ["VAULT_NAMESPACE"] = "ns1", ["BAO_SKIP_VERIFY"] = "true" };
        string? Lookup(string name) => environment.GetValueOrDefault(name);

        var fromEnvironment = CommandLine.Parse([], Lookup)!;
        var fromFlag = CommandLine.Parse(["-openbao-addr=https://flag:8200"], Lookup)!;

        Assert.Equal(new Uri("https://bao:8200"), fromEnvironment.OpenBaoAddress);
        Assert.Equal("ns1", fromEnvironment.OpenBaoNamespace);
        Assert.True(fromEnvironment.OpenBaoTls.SkipVerify);
        Assert.Equal(new Uri("https://flag:8200"), fromFlag.OpenBaoAddress);
    }

    [Theory]
    [InlineData(LogLevel.Debug, "-debug")]
    [InlineData(LogLevel.Warning, "-debug", "-log-level=warn")]
    [InlineData(LogLevel.Warning, "-log-level=warn", "-debug")]
    [InlineData(LogLevel.Information, "-debug=false")]
    [InlineData(LogLevel.None, "-log-level", "off")]
    [InlineData(LogLevel.Trace, "--log-level=trace")]
    public void Parse_LogLevel_ExplicitLevelWinsOverDebug(LogLevel expected, params string[] args)
    {
        Assert.Equal(expected, Parse(args).EffectiveLogLevel);
    }

    [Theory]
    [InlineData("127.0.0.1:9090", "127.0.0.1", 9090)]
    [InlineData(":8081", null, 8081)]
    [InlineData("[::1]:8080", "::1", 8080)]
    [InlineData("localhost:8080", "localhost", 8080)]
    public void Parse_HealthAddress_GoForms(string text, string? host, int port)
    {
        Assert.Equal(new HealthAddress(host, port), Parse($"-health-addr={text}").HealthAddress);
    }

    [Fact]
    public void Parse_EmptyHealthAddress_TurnsListenerOff()
    {
        Assert.Null(Parse("-health-addr=").HealthAddress);
    }

    [Fact]
    public void Parse_Durations_GoSyntax()
    {
        var options = Parse("-openbao-timeout=1m30s", "-shutdown-timeout", "500ms");

        Assert.Equal(TimeSpan.FromSeconds(90), options.OpenBaoTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.ShutdownTimeout);
    }

    [Fact]
    public void Parse_OtherFlags_AreApplied()
    {
        var options = Parse("-cache-size=5", "-default-audience=vault", "-hmac-key-file=/key", "-hmac-secret-name=k", "-socket-mode=0660", "-version",
            "-allowed-peer-uids=0, 1000", "-mount-timeout=45s", "-openbao-max-response-bytes=1048576");

        Assert.Equal(5, options.CacheSize);
        Assert.Equal("vault", options.DefaultAudience);
        Assert.Equal("/key", options.HmacKeyFile);
        Assert.Equal("k", options.HmacSecretName);
        Assert.Equal((UnixFileMode)Convert.ToInt32("660", 8), options.SocketMode);
        Assert.True(options.PrintVersion);
        Assert.Equal([0u, 1000u], options.AllowedPeerUids.Order());
        Assert.Equal(TimeSpan.FromSeconds(45), options.MountTimeout);
        Assert.Equal(1048576, options.OpenBaoMaxResponseBytes);
    }

    [Theory]
    [InlineData("flag provided but not defined: -nope", "-nope")]
    [InlineData("flag needs an argument: -endpoint", "-endpoint")]
    [InlineData("invalid value \"abc\" for flag -cache-size", "-cache-size=abc")]
    [InlineData("invalid value \"-1\" for flag -cache-size", "-cache-size=-1")]
    [InlineData("invalid value \"bao:8200\" for flag -openbao-addr", "-openbao-addr=bao:8200")]
    [InlineData("invalid value \"loud\" for flag -log-level", "-log-level=loud")]
    [InlineData("invalid value \"maybe\" for flag -debug", "-debug=maybe")]
    [InlineData("invalid value \"0999\" for flag -socket-mode", "-socket-mode=0999")]
    [InlineData("invalid value \"8080\" for flag -health-addr", "-health-addr=8080")]
    [InlineData("invalid value \"10x\" for flag -openbao-timeout", "-openbao-timeout=10x")]
    [InlineData("invalid value \"root\" for flag -allowed-peer-uids", "-allowed-peer-uids=root")]
    [InlineData("invalid value \",\" for flag -allowed-peer-uids", "-allowed-peer-uids=,")]
    [InlineData("invalid value \"0\" for flag -openbao-max-response-bytes", "-openbao-max-response-bytes=0")]
    [InlineData("unexpected argument 'stray'", "stray")]
    public void Parse_BadInput_OneLineNamingTheFlag(string expected, params string[] args)
    {
        var error = Assert.Throws<FlagException>(() => Parse(args));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Parse_Help_ReturnsNull()
    {
        Assert.Null(CommandLine.Parse(["-help"], NoEnvironment));
        Assert.Contains("-openbao-addr (or -vault-addr)", CommandLine.Usage, StringComparison.Ordinal);
    }
}
