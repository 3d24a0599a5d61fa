using System.Diagnostics;

namespace OpenBao.Csi.Provider.Deployment.Tests.Support;

/// <summary>
/// Command-line tools some checks use when the machine has them (helm, promtool). The suite never
/// needs them: tests that do are <see cref="ToolFactAttribute"/>s, skipped where the tool is missing.
/// </summary>
internal static class Tools
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>The tool named by its upper-case environment variable (HELM, PROMTOOL), else found on PATH.</summary>
    public static string? Find(string name)
    {
        if (Environment.GetEnvironmentVariable(name.ToUpperInvariant()) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }

    public static async Task<Result> RunAsync(string name, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var path = Find(name) ?? throw new InvalidOperationException($"{name} is not installed");
        var start = new ProcessStartInfo(path, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Repo.Root,
        };
        // Nothing here may reach a cluster: helm renders client-side only.
        start.Environment["KUBECONFIG"] = Path.Combine(Path.GetTempPath(), "no-kubeconfig");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Result(process.ExitCode, await output, await error);
    }
}

/// <summary>A fact that needs a command-line tool, skipped (not passed) where it is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string tool)
    {
        if (Tools.Find(tool) is null)
        {
            Skip = $"{tool} is not installed (put it on PATH or set {tool.ToUpperInvariant()})";
        }
    }
}
