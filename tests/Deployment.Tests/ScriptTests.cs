using System.Diagnostics;
using OpenBao.Csi.Provider.Deployment.Tests.Support;

namespace OpenBao.Csi.Provider.Deployment.Tests;

public sealed class ScriptTests
{
    public static TheoryData<string> ShellScripts() => [.. Repo.Files("deploy", "*.sh").Select(Repo.Relative)];

    [Theory]
    [MemberData(nameof(ShellScripts))]
    public async Task ShellScript_PassesBashSyntaxCheck(string script)
    {
        var start = new ProcessStartInfo("bash", ["-n", Repo.Path(script)])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var bash = Process.Start(start)!;
        var errors = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();

        Assert.True(bash.ExitCode == 0, errors);
    }

    [Theory]
    [MemberData(nameof(ShellScripts))]
    public void ShellScript_StopsOnTheFirstError(string script)
    {
        var lines = File.ReadAllLines(Repo.Path(script));

        Assert.Equal("#!/usr/bin/env bash", lines[0]);
        Assert.Contains("set -euo pipefail", lines);
    }

    [Theory]
    [MemberData(nameof(ShellScripts))]
    public void ShellScript_IsExecutable(string script)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // No Unix file modes there; git keeps the bit for everyone else.
        }

        Assert.True(File.GetUnixFileMode(Repo.Path(script)).HasFlag(UnixFileMode.UserExecute), script);
    }
}
