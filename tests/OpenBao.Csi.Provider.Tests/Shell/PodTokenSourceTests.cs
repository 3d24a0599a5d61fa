using System.Net;
using System.Text;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.Mounting;
using OpenBao.Csi.Provider.Shell;

namespace OpenBao.Csi.Provider.Tests.Shell;

public sealed class PodTokenSourceTests
{
    private static readonly MountPod Pod = new("shop", "app-0", "uid-1", "app");

    /// <summary>An unsigned JWT-shaped string with this <c>exp</c>; the source never verifies, it only reads the expiry.</summary>
    private static string Jwt(DateTimeOffset expiry, string subject = "x") =>
        $"eyJhbGciOiJub25lIn0.{Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"sub\":\"{subject}\",\"exp\":{expiry.ToUnixTimeSeconds()}}}")).TrimEnd('=').Replace('+', '-').Replace('/', '_')}.sig";

    [Fact]
    public void Expiry_ReadsExpAndIgnoresWhatIsNotAJwt()
    {
        var expiry = new DateTimeOffset(2026, 11, 23, 19, 0, 0, TimeSpan.Zero);

        Assert.Equal(expiry, UnverifiedJwt.Expiry(Jwt(expiry)));
        Assert.Null(UnverifiedJwt.Expiry("not-a-jwt"));
        Assert.Null(UnverifiedJwt.Expiry("a.b.c"));
        Assert.Null(UnverifiedJwt.Expiry("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig"));
    }

    [Fact]
    public async Task FromFile_ReadsTheFileOnEveryCall_AsAProjectedTokenRotatesOnDisk()
    {
        var file = Path.GetTempFileName();
        var first = Jwt(DateTimeOffset.UtcNow.AddHours(1), "first");
        var second = Jwt(DateTimeOffset.UtcNow.AddHours(2), "second");
        var source = PodTokenSource.FromFile(file, "openbao");

        await File.WriteAllTextAsync(file, first + "\n");
        var before = await source.GetAsync(default);
        await File.WriteAllTextAsync(file, second);
        var after = await source.GetAsync(default);

        Assert.Equal(("openbao", first), (before.Audience, before.Token));
        Assert.Equal(second, after.Token);
        Assert.Equal(UnverifiedJwt.Expiry(second), after.ExpiresAt);
        File.Delete(file);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task FromFile_EmptyOrMissing_FailedPreconditionNamingTheFile(string? content)
    {
        var file = Path.Combine(Path.GetTempPath(), $"token-{Guid.NewGuid():N}");
        if (content is not null)
        {
            await File.WriteAllTextAsync(file, content);
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => PodTokenSource.FromFile(file, "openbao").GetAsync(default));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains(file, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromTokenRequest_KeepsTheTokenUntilFourFifthsOfItsLifetime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var requester = new CountingRequester(() => Jwt(time.GetUtcNow().AddMinutes(10)));
        var source = PodTokenSource.FromTokenRequest(requester, Pod, "openbao", time);

        var first = await source.GetAsync(default);
        time.Advance(TimeSpan.FromMinutes(7.9));
        var kept = await source.GetAsync(default);
        time.Advance(TimeSpan.FromMinutes(0.2));
        var renewed = await source.GetAsync(default);

        Assert.Same(first, kept);
        Assert.NotEqual(first.Token, renewed.Token);
        Assert.Equal(2, requester.Calls.Count);
        Assert.Equal((new PodIdentity("shop", "app", "app-0", "uid-1"), "openbao"), requester.Calls[0]);
    }

    [Fact]
    public async Task FromTokenRequest_Refused_TheStatusTheProviderWouldGive()
    {
        var requester = new CountingRequester(() => throw new ServiceAccountTokenException("may not request tokens for shop/app", HttpStatusCode.Forbidden));
        var source = PodTokenSource.FromTokenRequest(requester, Pod, "openbao", TimeProvider.System);

        var error = await Assert.ThrowsAsync<RpcException>(() => source.GetAsync(default));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("TokenRequest through the kubeconfig: may not request tokens for shop/app", error.Status.Detail);
    }

    private sealed class CountingRequester(Func<string> issue) : IServiceAccountTokenRequester
    {
        public List<(PodIdentity Pod, string? Audience)> Calls { get; } = [];

        public Task<string> RequestAsync(PodIdentity pod, string? audience, CancellationToken cancellationToken)
        {
            Calls.Add((pod, audience));
            return Task.FromResult(issue());
        }
    }
}
