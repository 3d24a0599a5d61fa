using Microsoft.AspNetCore.Connections;
using OpenBao.Csi.Provider.KubernetesApi;
using OpenBao.Csi.Provider.OpenBao;
using OpenBao.Csi.Provider.Versioning;

namespace OpenBao.Csi.Provider.Hosting;

/// <summary>Turns whatever stopped the start into the one line an operator reads in a CrashLoopBackOff.</summary>
internal static class StartFailure
{
    public static string Describe(Exception exception, ProviderOptions options) => OneLine(exception switch
    {
        ProviderStartException or VersionKeyException or KubernetesConfigurationException => exception.Message,
        OpenBaoTlsException => $"TLS to OpenBao ({exception.Message}); fix the -openbao-tls-* flags or the files they name",
        IOException { InnerException: AddressInUseException } when options.HealthAddress is { } health && !exception.Message.Contains(options.Endpoint, StringComparison.Ordinal) =>
            $"-health-addr {health} is already in use by another process; choose a free port or turn the health listener off with -health-addr=",
        IOException { InnerException: AddressInUseException } => $"-endpoint {options.Endpoint} was taken by another process while starting; stop it or choose another -endpoint",
        _ => $"{exception.Message} ({exception.GetType().Name})",
    });

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
