using System.Text;
using OpenBao.Csi.Provider.OpenBao;

namespace OpenBao.Csi.Provider.Tests.OpenBao;

public sealed class OpenBaoErrorReaderTests
{
    private static IReadOnlyList<string> Read(int status, string body) => OpenBaoErrorReader.Read(status, Encoding.UTF8.GetBytes(body));

    [Fact]
    public void Read_ErrorsList_IsPassedThrough()
    {
        Assert.Equal(["permission denied"], Read(403, "{\"errors\":[\"permission denied\"]}\n"));
    }

    [Fact]
    public void Read_EmptyNotFound_HasNoErrors()
    {
        Assert.Empty(Read(404, "{\"errors\":[]}\n"));
    }

    [Fact]
    public void Read_SoftDeletedKvV2Version_SaysSo()
    {
        const string body = """
            {"request_id":"r","lease_id":"","renewable":false,"lease_duration":0,"data":{"data":null,
             "metadata":{"created_time":"2026-11-23T10:00:00Z","custom_metadata":null,"deletion_time":"2026-11-23T11:00:00Z","destroyed":false,"version":3}},
             "wrap_info":null,"warnings":null,"auth":null}
            """;

        Assert.Equal(["version 3 of this secret was deleted at 2026-11-23T11:00:00Z"], Read(404, body));
    }

    [Fact]
    public void Read_DestroyedKvV2Version_SaysSo()
    {
        const string body = """{"data":{"data":null,"metadata":{"deletion_time":"","destroyed":true,"version":2}},"warnings":null}""";

        Assert.Equal(["version 2 of this secret is destroyed"], Read(404, body));
    }

    [Fact]
    public void Read_Warnings_AreKept()
    {
        const string body = """{"data":null,"warnings":["Invalid path for a versioned K/V secrets engine."]}""";

        Assert.Equal(["Invalid path for a versioned K/V secrets engine."], Read(404, body));
    }

    [Fact]
    public void Read_NonJsonGatewayError_DescribesWithoutEchoing()
    {
        Assert.Equal(["non-JSON error body of 11 bytes"], Read(502, "<html></html>"[..11]));
        Assert.Empty(Read(400, "not json"));
    }

    [Fact]
    public void Exception_WrappedInternalError_IsFlattened()
    {
        var error = new OpenBaoException(500, ["1 error occurred:\n\t* database is down\n\n"], "GET", "database/creds/app");

        Assert.Equal("database is down", error.Reason);
        Assert.Equal("OpenBao returned 500 for GET database/creds/app: database is down", error.Message);
    }

    [Theory]
    [InlineData(403, true, "permission denied")]
    [InlineData(403, true, "2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n")]
    [InlineData(403, true, "permission denied", "invalid token")]
    [InlineData(403, false, "1 error occurred:\n\t* permission denied\n\n")]
    [InlineData(400, false, "permission denied")]
    public void IsTokenRefused_TellsARefusedTokenFromAPolicyDenial(int status, bool refused, params string[] errors)
    {
        Assert.Equal(refused, new OpenBaoException(status, errors, "GET", "secret/data/app").IsTokenRefused);
    }
}
