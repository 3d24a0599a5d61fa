using YamlDotNet.Core;
using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Shell;

/// <summary>
/// <c>openbao-csi-provider validate FILE...</c>: checks SecretProviderClass manifests offline with the
/// Mount parser, so a GitOps repository's CI catches what would otherwise be a pod's FailedMount.
/// Other kinds of manifests in the files are skipped. Exit 1 when anything is wrong, 2 for bad usage.
/// </summary>
internal static class ValidateCommand
{
    public const string Name = "validate";

    public static int Run(IReadOnlyList<string> files, TextWriter output, TextWriter errors)
    {
        if (files.Count == 0)
        {
            errors.WriteLine("usage: openbao-csi-provider validate FILE... (SecretProviderClass manifests, several documents per file allowed)");
            return 2;
        }

        var failed = false;
        foreach (var file in files)
        {
            failed |= !ValidateFile(file, output);
        }

        return failed ? 1 : 0;
    }

    private static bool ValidateFile(string file, TextWriter output)
    {
        IReadOnlyList<SecretProviderClassManifest> classes;
        try
        {
            using var reader = new StreamReader(file);
            classes = SecretProviderClassManifest.ReadAll(reader);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or YamlException)
        {
            output.WriteLine($"{file}: cannot be read as YAML: {ex.Message}");
            return false;
        }

        var valid = true;
        foreach (var manifest in classes)
        {
            var label = $"{file}: SecretProviderClass {manifest.Name ?? "(no name)"}";
            var (problems, warnings, objects) = MountRequestParser.Check(manifest.Parameters);
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
}
