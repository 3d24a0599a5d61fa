using Csi.Driver.Emulator;
using Grpc.Core;
using OpenBao.Csi.Provider.IntegrationTests.Infrastructure;
using OpenBao.Csi.Provider.V1Alpha1;

namespace OpenBao.Csi.Provider.IntegrationTests;

/// <summary>OpenBao sealed, down, failing or slow: the mount fails with the right code and the host keeps serving.</summary>
[Collection(ProviderCollection.Name)]
public sealed class FaultTests(ProviderFixture fixture)
{
    [Fact]
    public async Task Mount_Sealed_AbortedThenRecovers()
    {
        var mount = fixture.ShopMount(ProviderFixture.PasswordObject);
        fixture.Bao.Seal();
        try
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => fixture.MountAsync(mount));

            Assert.Equal(StatusCode.Aborted, error.StatusCode);
            Assert.Contains("Vault is sealed", error.Status.Detail, StringComparison.Ordinal);
            Assert.Equal("v1alpha1", (await fixture.Provider.Client.VersionAsync(new VersionRequest())).Version);
        }
        finally
        {
            fixture.Bao.Unseal();
        }

        Assert.Single((await fixture.MountAsync(mount)).Files);
    }

    [Fact]
    public async Task Mount_SealedAfterLogin_AbortedForTheRead()
    {
        var mount = fixture.ShopMount(ProviderFixture.PasswordObject);
        await fixture.MountAsync(mount);
        fixture.Bao.Seal();
        try
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => fixture.MountAsync(mount));

            Assert.Equal(StatusCode.Aborted, error.StatusCode);
            Assert.Contains("object 'pw'", error.Status.Detail, StringComparison.Ordinal);
        }
        finally
        {
            fixture.Bao.Unseal();
        }
    }

    [Fact]
    public async Task Mount_OpenBaoDown_AbortedNamingAddress()
    {
        var mount = fixture.ShopMount(ProviderFixture.PasswordObject).WithParameter("baoAddress", "http://127.0.0.1:9");

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.MountAsync(mount));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Contains("cannot reach OpenBao at http://127.0.0.1:9/", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mount_InternalError_PassesOpenBaoMessageThroughWithoutRetry()
    {
        var mount = fixture.ShopMount(ProviderFixture.PasswordObject);
        await fixture.MountAsync(mount);
        fixture.Bao.ClearRequests();
        fixture.Bao.FailNext(1, 500, "/v1/secret/", "1 error occurred:\n\t* storage backend unavailable\n\n");

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.MountAsync(mount));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Contains("storage backend unavailable", error.Status.Detail, StringComparison.Ordinal);
        // Any read may hit a dynamic engine, where OpenBao could have issued a credential before failing.
        Assert.Equal(1, fixture.Bao.CountRequests("GET", "/v1/secret/data/shop/db"));
    }

    [Theory]
    [InlineData(503, "no active Vault instance found")]
    [InlineData(429, "standby")]
    public async Task Mount_TransientFailover_RetriedTransparently(int status, string message)
    {
        var mount = fixture.ShopMount(ProviderFixture.PasswordObject);
        await fixture.MountAsync(mount);
        fixture.Bao.ClearRequests();
        fixture.Bao.FailNext(2, status, "/v1/secret/", message);

        var response = await fixture.MountAsync(mount);

        Assert.Equal(fixture.DbPassword, response.Files.Single().Contents.ToStringUtf8());
        Assert.Equal(3, fixture.Bao.CountRequests("GET", "/v1/secret/data/shop/db"));
    }

    [Fact]
    public async Task Mount_SlowOpenBao_CallerDeadlineEndsItAndOthersStillMount()
    {
        // Its own path: the provider finishes the abandoned login and read after the test's caller has gone, and
        // the test waits for that read so it cannot land among the next test's requests.
        fixture.Bao.PutKvV2("secret", "shop/slow", new Dictionary<string, object?> { ["password"] = "slow" });
        const string SlowObject = "- objectName: pw\n  secretPath: secret/data/shop/slow\n  secretKey: password";
        fixture.Bao.Latency = TimeSpan.FromSeconds(2);
        try
        {
            var error = await Assert.ThrowsAsync<RpcException>(() =>
                fixture.MountAsync(fixture.ShopMount(SlowObject), deadline: DateTime.UtcNow.AddMilliseconds(300)));

            Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        }
        finally
        {
            fixture.Bao.Latency = TimeSpan.Zero;
        }

        Assert.Single((await fixture.MountAsync(fixture.ShopMount(ProviderFixture.PasswordObject))).Files);
        await fixture.Bao.WhenRequestedAsync("GET", "/v1/secret/data/shop/slow").WaitAsync(TimeSpan.FromSeconds(60));
    }
}
