using Microsoft.AspNetCore.Builder;
using OpenBao.Csi.Provider.Shell;

namespace OpenBao.Csi.Provider.Hosting;

/// <summary>The process: flags, then the host until SIGTERM. Exit 2 for a bad command line, 1 for a failed start.</summary>
internal static class ProviderCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is [ValidateCommand.Name, .. var files])
        {
            return ValidateCommand.Run(files, Console.In, Console.Out, Console.Error);
        }

        if (args is [MountCommand.Name, .. var mountArgs])
        {
            return await MountCommand.RunAsync(mountArgs).ConfigureAwait(false);
        }

        if (args is [var first, ..] && !first.StartsWith('-'))
        {
            await Console.Error.WriteLineAsync(
                $"unknown command '{first}': the commands are {ValidateCommand.Name} and {MountCommand.Name}, and the server takes only flags (see -help)").ConfigureAwait(false);
            return 2;
        }

        ProviderOptions? options;
        try
        {
            options = CommandLine.Parse(args, Environment.GetEnvironmentVariable);
        }
        catch (FlagException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 2;
        }

        if (options is null)
        {
            await Console.Out.WriteLineAsync(
                $"Usage of openbao-csi-provider:\n{CommandLine.Usage}\n\nCommands:\n" +
                "  validate FILE...\n        check SecretProviderClass manifests offline, as a Mount would; exit 1 on any problem\n" +
                "  mount -f FILE -pod NAMESPACE/NAME [flags]\n        play the CSI driver for one pod: mount a SecretProviderClass through a running provider (-socket) " +
                "or in this process, print each object's mode, size and version, optionally write the files (-target) and poll for rotation (-watch); see mount -help").ConfigureAwait(false);
            return 0;
        }

        if (options.PrintVersion)
        {
            VersionInfo.Write(Console.OpenStandardOutput());
            return 0;
        }

        WebApplication? app = null;
        try
        {
            app = ProviderHost.Build(options);
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"openbao-csi-provider cannot start: {StartFailure.Describe(ex, options)}").ConfigureAwait(false);
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }

            return 1;
        }

        await app.WaitForShutdownAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        return 0;
    }
}
