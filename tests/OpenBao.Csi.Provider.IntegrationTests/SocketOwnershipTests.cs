using System.Net.Sockets;
using Csi.Driver.Emulator;
using OpenBao.Csi.Provider.Hosting;
using OpenBao.Csi.Provider.IntegrationTests.Infrastructure;
using OpenBao.Csi.Provider.V1Alpha1;
using File = System.IO.File;

namespace OpenBao.Csi.Provider.IntegrationTests;

/// <summary>Whose socket file is at <c>-endpoint</c>: only a dead socket is taken over, and only our own is removed.</summary>
[Collection(ProviderCollection.Name)]
public sealed class SocketOwnershipTests(ProviderFixture fixture)
{
    private static string SocketPathInNewFolder() => Path.Combine(Directory.CreateTempSubdirectory("openbao-csi-own-").FullName, "openbao.sock");

    private static async Task<string> VersionOverAsync(string path)
    {
        using var channel = DriverChannel.Create(path);
        return (await new CSIDriverProvider.CSIDriverProviderClient(channel).VersionAsync(new VersionRequest())).RuntimeName;
    }

    [Fact]
    public async Task Start_StaleSocketNobodyServes_IsReplaced()
    {
        var path = SocketPathInNewFolder();
        // What a killed provider leaves: the socket file with nobody listening (disposing a bound socket would unlink it).
        UnixSocketLifecycle.BindListenSocket(new UnixDomainSocketEndPoint(path)).Dispose();

        Assert.True(File.Exists(path));

        await using var provider = await ProviderProcess.StartAsync(fixture.Logs, options =>
        {
            options.Endpoint = path;
            options.SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;
        });

        Assert.Equal("openbao-csi-provider", await VersionOverAsync(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task Start_LiveSocket_RefusedAndTheOtherKeepsServing()
    {
        await using var first = await ProviderProcess.StartAsync(fixture.Logs);

        var error = await Assert.ThrowsAsync<ProviderStartException>(() => ProviderProcess.StartAsync(fixture.Logs, options => options.Endpoint = first.SocketPath));

        Assert.Contains("served by another running process", error.Message, StringComparison.Ordinal);
        Assert.Equal("openbao-csi-provider", await VersionOverAsync(first.SocketPath));
    }

    [Fact]
    public async Task Start_RegularFileAtEndpoint_RefusedAndFileUntouched()
    {
        var path = SocketPathInNewFolder();
        await File.WriteAllTextAsync(path, "an operator's file");

        var error = await Assert.ThrowsAsync<ProviderStartException>(() => ProviderProcess.StartAsync(fixture.Logs, options => options.Endpoint = path));

        Assert.Contains("is not a socket", error.Message, StringComparison.Ordinal);
        Assert.Equal("an operator's file", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Stop_SocketReplacedByNewInstance_OldInstanceLeavesItInPlace()
    {
        var old = await ProviderProcess.StartAsync(fixture.Logs);
        var path = old.SocketPath;
        // A surge rollout: the new pod finds the path free (here: the old file unlinked) and binds its own socket.
        File.Delete(path);
        var replacement = await ProviderProcess.StartAsync(fixture.Logs, options => options.Endpoint = path);

        await old.StopAsync();

        Assert.True(File.Exists(path));
        Assert.Equal("openbao-csi-provider", await VersionOverAsync(path));
        await replacement.StopAsync();
        Assert.False(File.Exists(path));
        await replacement.DisposeAsync();
        await old.DisposeAsync();
    }
}
