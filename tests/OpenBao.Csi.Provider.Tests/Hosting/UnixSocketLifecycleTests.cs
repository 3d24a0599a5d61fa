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
        await lifecycle.StoppedAsync(default);

        Assert.False(beforeStart);
        Assert.True(serving);
        Assert.Equal(options.SocketMode, mode);
        Assert.False(stopping);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void PrepareSocketPath_CreatesDirectoryAndRemovesStaleFile()
    {
        var path = Path.Combine(_directory.FullName, "nested", "openbao.sock");
        UnixSocketLifecycle.PrepareSocketPath(path);
        File.WriteAllText(path, "stale");

        UnixSocketLifecycle.PrepareSocketPath(path);

        Assert.True(Directory.Exists(Path.GetDirectoryName(path)));
        Assert.False(File.Exists(path));
    }
}
