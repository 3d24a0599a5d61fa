using Google.Protobuf;
using Microsoft.Extensions.Time.Testing;
using OpenBao.Csi.Provider.Shell;
using MountFile = OpenBao.Csi.Provider.V1Alpha1.File;

namespace OpenBao.Csi.Provider.Tests.Shell;

public sealed class TargetDirectoryWriterTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("target-writer-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));

    private string Target => Path.Combine(_root, "mount");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static MountFile File(string path, string contents, int mode = 420) =>
        new() { Path = path, Mode = mode, Contents = ByteString.CopyFromUtf8(contents) };

    private TargetDirectoryWriter Writer() => new(Target, _time);

    private string? DataDirectory() => new FileInfo(Path.Combine(Target, "..data")).LinkTarget;

    [Fact]
    public void Write_FirstTime_EachFileWithItsModeBehindTheDataLink()
    {
        var wrote = Writer().Write([File("pw", "secret-1", mode: 384), File("certs/tls.crt", "cert", mode: 420), File("certs/ca/root.pem", "root", mode: 416)]);

        Assert.True(wrote);
        Assert.Equal("secret-1", System.IO.File.ReadAllText(Path.Combine(Target, "pw")));
        Assert.Equal("cert", System.IO.File.ReadAllText(Path.Combine(Target, "certs", "tls.crt")));
        Assert.Equal("root", System.IO.File.ReadAllText(Path.Combine(Target, "certs", "ca", "root.pem")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, System.IO.File.GetUnixFileMode(Path.Combine(Target, "..data", "pw")));
        Assert.Equal((UnixFileMode)Convert.ToInt32("644", 8), System.IO.File.GetUnixFileMode(Path.Combine(Target, "..data", "certs", "tls.crt")));
        Assert.Equal((UnixFileMode)Convert.ToInt32("640", 8), System.IO.File.GetUnixFileMode(Path.Combine(Target, "..data", "certs", "ca", "root.pem")));
        Assert.StartsWith("..2026_05_01_10_00_00.", DataDirectory(), StringComparison.Ordinal);
        Assert.Equal("..data/pw", new FileInfo(Path.Combine(Target, "pw")).LinkTarget);
        Assert.Equal("..data/certs", new FileInfo(Path.Combine(Target, "certs")).LinkTarget);
        Assert.Equal((UnixFileMode)Convert.ToInt32("755", 8), System.IO.File.GetUnixFileMode(Path.Combine(Target, DataDirectory()!)));
    }

    [Fact]
    public void Write_ModeWiderThanTheUmask_IsKeptExactly()
    {
        Writer().Write([File("shared", "x", mode: Convert.ToInt32("666", 8))]);

        Assert.Equal((UnixFileMode)Convert.ToInt32("666", 8), System.IO.File.GetUnixFileMode(Path.Combine(Target, "..data", "shared")));
    }

    [Fact]
    public void Write_Rotation_SwapsTheDataDirectoryAndDropsWhatIsGone()
    {
        var writer = Writer();
        writer.Write([File("pw", "secret-1"), File("old/key", "k"), File("user", "u")]);
        var before = DataDirectory();

        _time.Advance(TimeSpan.FromMinutes(2));
        var wrote = writer.Write([File("pw", "secret-2"), File("user", "u"), File("new", "n")]);

        Assert.True(wrote);
        Assert.NotEqual(before, DataDirectory());
        Assert.False(Directory.Exists(Path.Combine(Target, before!)));
        Assert.Equal("secret-2", System.IO.File.ReadAllText(Path.Combine(Target, "pw")));
        Assert.Equal("n", System.IO.File.ReadAllText(Path.Combine(Target, "new")));
        Assert.Null(new FileInfo(Path.Combine(Target, "old")).LinkTarget);
        Assert.Equal(
            new[] { "..data", DataDirectory()!, "new", "pw", "user" }.Order(StringComparer.Ordinal),
            Directory.EnumerateFileSystemEntries(Target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Write_SameFilesAndModes_LeavesTheDirectoryAlone()
    {
        var writer = Writer();
        writer.Write([File("pw", "secret-1", 384), File("a/b", "x")]);
        var before = DataDirectory();

        var wrote = writer.Write([File("a/b", "x"), File("pw", "secret-1", 384)]);

        Assert.False(wrote);
        Assert.Equal(before, DataDirectory());
    }

    [Fact]
    public void Write_OnlyTheModeChanged_Rewrites()
    {
        var writer = Writer();
        writer.Write([File("pw", "secret-1", 420)]);

        var wrote = writer.Write([File("pw", "secret-1", 384)]);

        Assert.True(wrote);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, System.IO.File.GetUnixFileMode(Path.Combine(Target, "pw")));
    }

    [Theory]
    [InlineData("../escape", "must not contain a '..' element")]
    [InlineData("a/../../escape", "must not contain a '..' element")]
    [InlineData("/etc/passwd", "must be relative")]
    [InlineData("..data/pw", "must not start with '..'")]
    [InlineData("a//b", "is not clean")]
    [InlineData("./a", "is not clean")]
    [InlineData("a/", "is not clean")]
    public void Write_UnsafePath_RefusedNamingItAndNothingWritten(string path, string reason)
    {
        var error = Assert.Throws<UnsafeTargetException>(() => Writer().Write([File("fine", "x"), File(path, "secret")]));

        Assert.Contains($"\"{path}\"", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public void Write_AFileOfSomeoneElseAtAName_IsLeftAndNothingWritten()
    {
        Directory.CreateDirectory(Target);
        System.IO.File.WriteAllText(Path.Combine(Target, "pw"), "my notes");

        var error = Assert.Throws<UnsafeTargetException>(() => Writer().Write([File("other", "x"), File("pw", "secret")]));

        Assert.Contains(Path.Combine(Target, "pw"), error.Message, StringComparison.Ordinal);
        Assert.Equal("my notes", System.IO.File.ReadAllText(Path.Combine(Target, "pw")));
        Assert.Equal(["pw"], Directory.EnumerateFileSystemEntries(Target).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_ASymlinkLeadingOutOfTheTarget_IsRefused()
    {
        Directory.CreateDirectory(Target);
        var outside = Directory.CreateDirectory(Path.Combine(_root, "outside")).FullName;
        System.IO.File.CreateSymbolicLink(Path.Combine(Target, "certs"), outside);

        Assert.Throws<UnsafeTargetException>(() => Writer().Write([File("certs/tls.key", "key")]));

        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }
}
