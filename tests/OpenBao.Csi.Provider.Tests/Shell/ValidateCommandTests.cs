using OpenBao.Csi.Provider.Shell;

namespace OpenBao.Csi.Provider.Tests.Shell;

/// <summary><c>validate</c> on stdin; files and exit codes through the process are in the integration tests.</summary>
public sealed class ValidateCommandTests
{
    private const string Header = "apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata: {name: x}\nspec:\n";

    private static (int ExitCode, string[] Lines) Run(string stdin, params string[] args)
    {
        var output = new StringWriter();
        var exitCode = ValidateCommand.Run(args.Length == 0 ? ["-"] : args, new StringReader(stdin), output, TextWriter.Null);
        return (exitCode, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void AnotherProvidersClass_IsSkippedNotFailed()
    {
        var (exitCode, lines) = Run(Header + "  provider: aws\n  parameters:\n    objects: |\n      - objectName: arn:aws:secretsmanager:x\n");

        Assert.Equal(0, exitCode);
        Assert.Equal(["-: SecretProviderClass x: provider 'aws', not openbao or vault (skipped)"], lines);
    }

    [Fact]
    public void ObjectsAsAList_OneProblemNotAlsoMissing()
    {
        var (exitCode, lines) = Run(Header + "  provider: openbao\n  parameters:\n    roleName: app\n    objects:\n      - objectName: pw\n");

        Assert.Equal(1, exitCode);
        Assert.Equal(["-: SecretProviderClass x: parameter 'objects' must be a string (for objects, write a block scalar: objects: |)"], lines);
    }

    [Fact]
    public void NoParameters_OneProblemNotAlsoEachMissingParameter()
    {
        var (exitCode, lines) = Run(Header + "  provider: openbao\n");

        Assert.Equal(1, exitCode);
        Assert.Equal(["-: SecretProviderClass x: spec.parameters is missing"], lines);
    }

    [Fact]
    public void EmptyParameters_NamesEachMissingParameter()
    {
        var (exitCode, lines) = Run(Header + "  provider: openbao\n  parameters: {}\n");

        Assert.Equal(1, exitCode);
        Assert.Contains("-: SecretProviderClass x: missing 'roleName' parameter in the SecretProviderClass", lines);
        Assert.Contains(lines, line => line.StartsWith("-: SecretProviderClass x: missing 'objects' parameter", StringComparison.Ordinal));
    }

    [Fact]
    public void UnquotedBoolean_FailsAlongsideWhatTheParserFinds()
    {
        var (exitCode, lines) = Run(Header + "  provider: openbao\n  parameters:\n    roleName: app\n    baoSkipTLSVerify: true\n    objects: |\n      - objectName: pw\n        secretPath: secret/data/db\n");

        Assert.Equal(1, exitCode);
        Assert.Equal(["-: SecretProviderClass x: parameter 'baoSkipTLSVerify' is a boolean to Kubernetes, whose CRD takes only strings here: quote it ('true')"], lines);
    }

    /// <summary>The Go providers ignore what they do not know, so a misspelt key falls back to a default without a word.</summary>
    [Fact]
    public void MisspeltParameters_WarnedWithTheClosestKnownName()
    {
        var (exitCode, lines) = Run(Header + "  provider: openbao\n  parameters:\n    roleName: app\n    baoAdress: https://bao:8200\n    audiance: openbao\n    team: payments\n    objects: |\n      - objectName: pw\n        secretPath: secret/data/db\n");

        Assert.Equal(0, exitCode);
        Assert.Equal(
            [
                "-: SecretProviderClass x: warning: unknown parameter 'audiance' is ignored (did you mean 'audience'?)",
                "-: SecretProviderClass x: warning: unknown parameter 'baoAdress' is ignored (did you mean 'baoAddress'?)",
                "-: SecretProviderClass x: warning: unknown parameter 'team' is ignored",
                "-: SecretProviderClass x: ok (1 objects)",
            ],
            lines);
    }

    [Fact]
    public void MisspeltKindInTheDriversGroup_AProblemNotSkipped()
    {
        var (exitCode, lines) = Run(Header.Replace("kind: SecretProviderClass", "kind: SecretProviderClas", StringComparison.Ordinal).Replace("metadata: {name: x}", "metadata: {}", StringComparison.Ordinal)
            + "  provider: openbao\n  parameters:\n    roleName: app\n    objects: |\n      - objectName: pw\n        secretPath: secret/data/db\n");

        Assert.Equal(1, exitCode);
        Assert.Contains("-: SecretProviderClass (no name): kind 'SecretProviderClas' is not a kind of the driver's API group: write SecretProviderClass", lines);
        Assert.Contains("-: SecretProviderClass (no name): metadata.name is missing: the API server refuses an object without one", lines);
    }

    [Fact]
    public void Directory_IsAProblemSayingToNameTheFiles()
    {
        var folder = Directory.CreateTempSubdirectory("validate-").FullName;
        try
        {
            var (exitCode, lines) = Run(string.Empty, folder);

            Assert.Equal(1, exitCode);
            Assert.Equal([$"{folder}: is a directory; name the files (e.g. {Path.Combine(folder, "*.yaml")})"], lines);
        }
        finally
        {
            Directory.Delete(folder);
        }
    }

    [Fact]
    public void Help_UsageOnStdoutExitZero()
    {
        var (exitCode, lines) = Run(string.Empty, "-h");

        Assert.Equal(0, exitCode);
        Assert.StartsWith("usage: openbao-csi-provider validate FILE...", Assert.Single(lines), StringComparison.Ordinal);
    }
}
