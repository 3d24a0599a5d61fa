using System.Diagnostics;
using OpenBao.Csi.Provider.Grpc;
using OpenBao.Csi.Provider.IntegrationTests.Infrastructure;
using File = System.IO.File;

namespace OpenBao.Csi.Provider.IntegrationTests;

/// <summary>
/// Only the driver's UID may Mount, whatever the socket's file mode. The caller is a real process under
/// another UID (<c>setpriv</c>) speaking gRPC with curl, so the kernel's SO_PEERCRED is what decides.
/// </summary>
[Collection(ProviderCollection.Name)]
public sealed class PeerCredentialTests(ProviderFixture fixture)
{
    private const uint Nobody = 65534;

    /// <summary>Calls Mount with an empty request, as <paramref name="uid"/> when given; returns the response headers (gRPC answers errors trailers-only).</summary>
    private static async Task<string> CallMountAsync(string socket, uint? uid)
    {
        var start = new ProcessStartInfo(uid is null ? "curl" : "setpriv") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        if (uid is { } other)
        {
            foreach (var arg in new[] { $"--reuid={other}", $"--regid={other}", "--clear-groups", "curl" })
            {
                start.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in new[]
        {
            "-sS", "--http2-prior-knowledge", "--unix-socket", socket, "-D", "-", "-o", "/dev/null",
            "-H", "content-type: application/grpc", "-H", "te: trailers", "--data-binary", "@-",
            "http://localhost/v1alpha1.CSIDriverProvider/Mount",
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        // An empty MountRequest: the gRPC frame header (not compressed, length 0) and no message bytes.
        await process.StandardInput.BaseStream.WriteAsync(new byte[5]);
        process.StandardInput.Close();
        var headers = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"curl failed: {error}");
        return headers;
    }

    [Fact]
    public async Task Mount_FromAnotherUid_PermissionDeniedEvenWithAWorldWritableSocket()
    {
        // setpriv needs root; CI runs as root, and so does the DaemonSet.
        if (PeerAuthorization.ProcessUid != 0)
        {
            return;
        }

        await using var provider = await ProviderProcess.StartAsync(fixture.Logs, options => options.SocketMode = (UnixFileMode)0b110_110_110);
        File.SetUnixFileMode(Path.GetDirectoryName(provider.SocketPath)!, (UnixFileMode)0b111_101_101);

        var asNobody = await CallMountAsync(provider.SocketPath, Nobody);
        var asRoot = await CallMountAsync(provider.SocketPath, uid: null);

        Assert.Contains("grpc-status: 7", asNobody, StringComparison.Ordinal);
        Assert.Contains($"UID {Nobody} may not call Mount", asNobody, StringComparison.Ordinal);
        Assert.Contains(fixture.Logs.Lines, line => line.Contains($"Refused a Mount from UID {Nobody}", StringComparison.Ordinal));
        Assert.Contains("grpc-status: 3", asRoot, StringComparison.Ordinal);
    }
}
