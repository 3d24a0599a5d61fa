using Microsoft.Extensions.Logging.Abstractions;
using OpenBao.Csi.Provider.Hosting;

namespace OpenBao.Csi.Provider.Tests.Hosting;

public sealed class UnixSocketLifecycleTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("socket-lifecycle-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Readiness_FollowsTheSocketLifetime()
    {
        var path = Path.Combine(_directory.FullName, "openbao.sock");
        await File.WriteAllTextAsync(path, string.Empty);
        var options = new ProviderOptions { Endpoint = path, SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite };
        var readiness = new ReadinessState();
        var lifecycle = new UnixSocketLifecycle(options, readiness, NullLogger<UnixSocketLifecycle>.Instance);

        var beforeStart = readiness.IsReady;
        await lifecycle.StartedAsync(default);
        var serving = readiness.IsReady;
        var mode = File.GetUnixFileMode(path);
        await lifecycle.StoppingAsync(default);
        var stopping = readiness.IsReady;

        Assert.False(beforeStart);
        Assert.True(serving);
        Assert.Equal(options.SocketMode, mode);
        Assert.False(stopping);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void PrepareSocketPath_CreatesDirectoryAndRemovesStaleSocket()
    {
        var path = Path.Combine(_directory.FullName, "nested", "openbao.sock");
        UnixSocketLifecycle.PrepareSocketPath(path);
        UnixSocketLifecycle.BindListenSocket(new System.Net.Sockets.UnixDomainSocketEndPoint(path)).Dispose();
        var staleLeftBehind = File.Exists(path);

        UnixSocketLifecycle.PrepareSocketPath(path);

        Assert.True(Directory.Exists(Path.GetDirectoryName(path)));
        Assert.True(staleLeftBehind);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void PrepareSocketPath_RegularFile_RefusedAndKept()
    {
        var path = Path.Combine(_directory.FullName, "openbao.sock");
        File.WriteAllText(path, "not ours");

        var error = Assert.Throws<ProviderStartException>(() => UnixSocketLifecycle.PrepareSocketPath(path));

        Assert.Contains("is not a socket", error.Message, StringComparison.Ordinal);
        Assert.Equal("not ours", File.ReadAllText(path));
    }

    [Fact]
    public async Task Stopping_FileIsNoLongerTheOneCreated_LeftInPlace()
    {
        var path = Path.Combine(_directory.FullName, "openbao.sock");
        await File.WriteAllTextAsync(path, string.Empty);
        var lifecycle = new UnixSocketLifecycle(new ProviderOptions { Endpoint = path }, new ReadinessState(), NullLogger<UnixSocketLifecycle>.Instance);
        await lifecycle.StartedAsync(default);
        // Kestrel's listener keeps the socket's inode allocated; an open handle does the same for a file.
        using (File.OpenHandle(path))
        {
            File.Delete(path);
            await File.WriteAllTextAsync(path, "the new pod's");

            await lifecycle.StoppingAsync(default);
        }

        Assert.Equal("the new pod's", await File.ReadAllTextAsync(path));
    }
}
