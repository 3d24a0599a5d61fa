using Microsoft.AspNetCore.Builder;
using OpenBao.Csi.Provider.KubernetesApi;
using OpenBao.Csi.Provider.OpenBao;
using OpenBao.Csi.Provider.Versioning;

namespace OpenBao.Csi.Provider.Hosting;

/// <summary>The process: flags, then the host until SIGTERM. Exit 2 for a bad command line, 1 for a failed start.</summary>
internal static class ProviderCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
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
            await Console.Out.WriteLineAsync($"Usage of openbao-csi-provider:\n{CommandLine.Usage}").ConfigureAwait(false);
            return 0;
        }

        if (options.PrintVersion)
        {
            VersionInfo.Write(Console.OpenStandardOutput());
            return 0;
        }

        WebApplication app;
        try
        {
            app = ProviderHost.Build(options);
        }
        catch (Exception ex) when (ex is VersionKeyException or OpenBaoTlsException or KubernetesConfigurationException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"openbao-csi-provider cannot start: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
