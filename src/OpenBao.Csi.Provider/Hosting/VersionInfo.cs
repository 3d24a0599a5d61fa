using System.Runtime.InteropServices;
using System.Text.Json;
using OpenBao.Csi.Provider.Grpc;

namespace OpenBao.Csi.Provider.Hosting;

/// <summary>What <c>-version</c> prints: one JSON object, like the Go provider.</summary>
internal static class VersionInfo
{
    public static void Write(Stream output)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("version", ProviderVersion.Current);
        writer.WriteString("runtimeName", CsiDriverProviderService.RuntimeName);
        writer.WriteString("apiVersion", CsiDriverProviderService.ApiVersion);
        writer.WriteString("dotnetVersion", RuntimeInformation.FrameworkDescription);
        writer.WriteString("platform", RuntimeInformation.RuntimeIdentifier);
        writer.WriteEndObject();
        writer.Flush();
        output.WriteByte((byte)'\n');
    }
}
