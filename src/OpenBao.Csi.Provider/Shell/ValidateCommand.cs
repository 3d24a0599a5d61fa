using YamlDotNet.Core;
using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Shell;

/// <summary>
/// <c>openbao-csi-provider validate FILE...</c>: checks SecretProviderClass manifests offline with the
/// Mount parser, so a GitOps repository's CI catches what would otherwise be a pod's FailedMount.
/// Other kinds of manifests, and other providers' classes, are skipped. <c>-</c> reads stdin. Exit 1 when
/// anything is wrong, 2 for bad usage.
/// </summary>
internal static class ValidateCommand
{
    public const string Name = "validate";

    private const string Usage = "usage: openbao-csi-provider validate FILE... (SecretProviderClass manifests, several documents per file allowed; - reads stdin)";

    public static int Run(IReadOnlyList<string> files, TextReader input, TextWriter output, TextWriter errors)
    {
        if (files is ["-h" or "-help" or "--help"])
        {
            output.WriteLine(Usage);
            return 0;
        }

        if (files.Count == 0)
        {
            errors.WriteLine(Usage);
            return 2;
        }

        var failed = false;
        foreach (var file in files)
        {
            failed |= !ValidateFile(file, input, output);
        }

        return failed ? 1 : 0;
    }

    private static bool ValidateFile(string file, TextReader input, TextWriter output)
    {
        IReadOnlyList<SecretProviderClassManifest> classes;
        if (Directory.Exists(file))
        {
            output.WriteLine($"{file}: is a directory; name the files (e.g. {Path.Combine(file, "*.yaml")})");
            return false;
        }

        try
        {
            classes = SecretProviderClassManifest.ReadAll(file, input);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or YamlException)
        {
            output.WriteLine($"{file}: {SecretProviderClassManifest.DescribeReadFailure(ex)}");
            return false;
        }

        var valid = true;
        foreach (var manifest in classes)
        {
            var label = $"{file}: {manifest.Label}";
            if (!manifest.IsForThisProvider)
            {
                output.WriteLine($"{label}: provider '{manifest.Provider}', not {SecretProviderClassManifest.ProviderNamesText} (skipped)");
                continue;
            }

            var (problems, warnings, objects) = Check(manifest);
            foreach (var problem in manifest.Problems.Concat(problems))
            {
                output.WriteLine($"{label}: {problem}");
            }

            foreach (var warning in warnings)
            {
                output.WriteLine($"{label}: warning: {warning}");
            }

            if (manifest.Problems.Count + problems.Count == 0)
            {
                output.WriteLine($"{label}: ok ({objects} objects)");
            }
            else
            {
                valid = false;
            }
        }

        if (classes.Count == 0)
        {
            output.WriteLine($"{file}: no SecretProviderClass (skipped)");
        }

        return valid;
    }

    /// <summary>
    /// The Mount parser's findings, less those the manifest already reported: without parameters it would add
    /// that each required one is missing, and a list where a string belongs would read as missing too.
    /// </summary>
    private static (IReadOnlyList<string> Problems, IReadOnlyList<string> Warnings, int Objects) Check(SecretProviderClassManifest manifest)
    {
        if (manifest.Problems.Contains(SecretProviderClassManifest.NoParameters))
        {
            return ([], [], 0);
        }

        var (problems, warnings, objects) = MountRequestParser.Check(manifest.Parameters);
        return ([.. problems.Where(problem => !manifest.NotStrings.Any(key => problem.StartsWith($"missing '{key}'", StringComparison.Ordinal)))], warnings, objects);
    }
}
