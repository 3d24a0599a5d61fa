using System.Reflection;

namespace OpenBao.Csi.Provider.Grpc;

/// <summary>The provider's semver, from the assembly's informational version (build metadata after '+' dropped).</summary>
internal static class ProviderVersion
{
    public static string Current { get; } = Read();

    private static string Read()
    {
        var informational = typeof(ProviderVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational?.Split('+')[0] ?? "0.0.0";
    }
}
