using Google.Protobuf;
using OpenBao.Csi.Provider.Shell;
using OpenBao.Csi.Provider.V1Alpha1;
using File = OpenBao.Csi.Provider.V1Alpha1.File;

namespace OpenBao.Csi.Provider.Tests.Shell;

public sealed class MountChangeTests
{
    [Fact]
    public void Between_VersionsOfTwoPolls_RotatedAppearedDisappearedAndNothingForTheSame()
    {
        MountedObject[] before = [new("pw", 384, 10, "v1"), new("user", 420, 5, "u1"), new("old", 420, 3, "o1")];
        MountedObject[] after = [new("pw", 384, 12, "v2"), new("user", 420, 5, "u1"), new("new", 416, 7, "n1")];

        var changes = MountChange.Between(before, after);

        Assert.Equal(
            ["old disappeared", "pw rotated: version v1 -> v2", "new appeared: mode 0640, 7 bytes, version n1"],
            changes.Select(c => c.ToString()));
        Assert.Equal([MountChangeKind.Disappeared, MountChangeKind.Rotated, MountChangeKind.Appeared], changes.Select(c => c.Kind));
    }

    [Fact]
    public void Between_SameVersionsOtherSize_NoChange()
    {
        Assert.Empty(MountChange.Between([new("pw", 384, 10, "v1")], [new("pw", 384, 11, "v1")]));
    }

    [Fact]
    public void MountedObject_From_JoinsFilesAndVersionsById()
    {
        var response = new MountResponse
        {
            Files = { new File { Path = "pw", Mode = 384, Contents = ByteString.CopyFromUtf8("secret-value") }, new File { Path = "unversioned", Mode = 420 } },
            ObjectVersion = { new ObjectVersion { Id = "only-version", Version = "x1" }, new ObjectVersion { Id = "pw", Version = "p1" } },
        };

        var objects = MountedObject.From(response);

        Assert.Equal(
            [new("pw", 384, 12, "p1"), new("unversioned", 420, 0, null), new("only-version", null, null, "x1")],
            objects);
    }

    [Fact]
    public void ObjectTable_AlignedColumnsOfModeSizeAndVersion()
    {
        var output = new StringWriter();

        ObjectTable.Write(output, [new("db-password", 384, 24, "Zm9v"), new("tls.crt", 420, 1234, "YmFy"), new("x", null, null, "eg")]);

        Assert.Equal(
            """
            OBJECT       MODE  SIZE  VERSION
            db-password  0600  24    Zm9v
            tls.crt      0644  1234  YmFy
            x            -     -     eg

            """.ReplaceLineEndings("\n"),
            output.ToString().ReplaceLineEndings("\n"));
    }
}
