using System.Text.RegularExpressions;
using OpenBao.Csi.Provider.Deployment.Tests.Support;

namespace OpenBao.Csi.Provider.Deployment.Tests;

/// <summary>What the READMEs tell a reader to type exists: chart values, flags, readable file modes.</summary>
public sealed partial class ReadmeTests
{
    public static TheoryData<string> Readmes() => ["README.md", "charts/openbao-csi-provider/README.md", "deploy/README.md"];

    [Theory]
    [MemberData(nameof(Readmes))]
    public void HelmSets_ForThisChart_NameValuesTheSchemaDefines(string readme)
    {
        // Every --set outside a command for the driver's chart is one of ours, in a command or in prose.
        var unknown = Chunks(File.ReadAllText(Repo.Path(readme)))
            .Where(chunk => !chunk.Contains("secrets-store-csi-driver", StringComparison.Ordinal))
            .SelectMany(chunk => HelmSet().Matches(chunk).Select(m => m.Groups["key"].Value))
            .Where(key => !Chart.Defines(key.Split('.')))
            .Distinct()
            .ToList();

        Assert.Empty(unknown);
    }

    [Fact]
    public void FlagsTable_NamesOnlyFlagsTheProviderDefines()
    {
        var readme = File.ReadAllText(Repo.Path("README.md"));
        var table = readme[readme.IndexOf("\n## Flags\n", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n## ", 1, StringComparison.Ordinal)];
        var documented = TableRow().Matches(table)
            .SelectMany(row => BacktickFlag().Matches(row.Groups["first"].Value).Select(m => m.Groups["name"].Value))
            .ToList();

        Assert.NotEmpty(documented);
        Assert.Empty(documented.Except(ProviderFlags()));
    }

    [Fact]
    public void ChartAndManifest_PassOnlyFlagsTheProviderDefines()
    {
        var passed = ArgLine().Matches(Chart.Template("daemonset.yaml")).Select(m => m.Groups["name"].Value)
            .Concat(ProviderManifest.Load().Args.Select(a => a.TrimStart('-').Split('=')[0]))
            .Concat(ArgLine().Matches(File.ReadAllText(Repo.ManifestPath)).Select(m => m.Groups["name"].Value))
            .Distinct()
            .ToList();

        Assert.NotEmpty(passed);
        Assert.Empty(passed.Except(ProviderFlags()));
    }

    [Theory]
    [MemberData(nameof(Readmes))]
    public void FilePermissions_ShownInReadmes_AreReadableByNonRootPods(string readme)
    {
        // Their pods run as non-root UIDs, and the driver writes root:root files: see ExampleTests.
        var unreadable = FilePermission().Matches(File.ReadAllText(Repo.Path(readme)))
            .Select(m => m.Groups["mode"].Value)
            .Where(mode => (Convert.ToInt32(mode, 8) & Convert.ToInt32("004", 8)) == 0)
            .ToList();

        Assert.Empty(unreadable);
    }

    /// <summary>Flag names and aliases from the provider's command line (read, not built: this project builds alone).</summary>
    private static HashSet<string> ProviderFlags()
    {
        var source = File.ReadAllText(Repo.Path("src", "OpenBao.Csi.Provider", "Hosting", "CommandLine.cs"));
        var flags = FlagDefinition().Matches(source).Select(m => m.Groups["name"].Value)
            .Concat(AliasList().Matches(source).SelectMany(m => QuotedName().Matches(m.Groups["list"].Value).Select(q => q.Groups["name"].Value)))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Contains("endpoint", flags);
        return flags;
    }

    /// <summary>Shell blocks as one chunk per command (continuation lines joined); prose as one chunk per paragraph.</summary>
    private static IEnumerable<string> Chunks(string markdown)
    {
        var parts = Fence().Split(markdown.ReplaceLineEndings("\n"));
        for (var i = 0; i < parts.Length; i++)
        {
            var inCode = i % 2 == 1;
            var text = inCode ? parts[i].Replace("\\\n", " ", StringComparison.Ordinal) : parts[i];
            foreach (var chunk in text.Split(inCode ? "\n" : "\n\n"))
            {
                yield return chunk;
            }
        }
    }

    [GeneratedRegex("^```[a-z]*$", RegexOptions.Multiline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"--set\s+'?(?<key>[A-Za-z][A-Za-z0-9_.]*)=")]
    private static partial Regex HelmSet();

    [GeneratedRegex(@"^\|(?<first>[^|\n]*)\|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex("`-(?<name>[a-z][a-z0-9-]*)`")]
    private static partial Regex BacktickFlag();

    [GeneratedRegex(@"^\s*(?:#\s*)?- -(?<name>[a-z][a-z0-9-]*)", RegexOptions.Multiline)]
    private static partial Regex ArgLine();

    [GeneratedRegex(@"new\(""(?<name>[a-z][a-z0-9-]*)"",")]
    private static partial Regex FlagDefinition();

    [GeneratedRegex(@"Aliases: \[(?<list>[^\]]*)\]")]
    private static partial Regex AliasList();

    [GeneratedRegex(@"""(?<name>[a-z][a-z0-9-]*)""")]
    private static partial Regex QuotedName();

    [GeneratedRegex(@"filePermission:\s*(?<mode>0[0-7]{3})")]
    private static partial Regex FilePermission();
}
