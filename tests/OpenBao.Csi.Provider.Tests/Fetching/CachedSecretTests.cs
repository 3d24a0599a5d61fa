using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.Fetching;
using OpenBao.Csi.Provider.OpenBao;

namespace OpenBao.Csi.Provider.Tests.Fetching;

public sealed class CachedSecretTests
{
    private const double Fraction = 2.0 / 3.0;

    private static readonly SecretRequestKey Request = new("GET", "database/creds/app", null, null);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    private CachedToken Token { get; } = new(
        new TokenCacheKey("https://bao:8200/", null, "kubernetes", "app", "openbao", "shop", "app", "uid-1", "app-1"),
        new OpenBaoClient(new HttpMessageInvoker(new SocketsHttpHandler()), new OpenBaoConnection(new Uri("https://bao:8200"), null, new OpenBaoTlsSettings()), new OpenBaoClientSettings(TimeSpan.FromSeconds(1)), TestMetrics.Unobserved, TimeProvider.System),
        new OpenBaoToken("s.x", DateTimeOffset.UnixEpoch, TimeSpan.FromHours(1), true));

    [Theory]
    [InlineData("""{"lease_id":"","renewable":false,"lease_duration":2764800,"data":{"password":"p"}}""")]
    [InlineData("""{"lease_id":"database/creds/app/abc","renewable":true,"lease_duration":0,"data":{}}""")]
    [InlineData("""{"data":{"data":{"expiration":1999999999,"certificate":"c","serial_number":"s"}}}""")]
    [InlineData("null")]
    public void TryCreate_NoLeaseAndNoCertificate_IsNotKept(string json) =>
        Assert.Null(CachedSecret.TryCreate(Token, Request, Parse(json), _time.GetUtcNow()));

    [Fact]
    public void TryCreate_Lease_KeepsDurationAndRenewable()
    {
        var secret = Create("""{"lease_id":"database/creds/app/abc","renewable":true,"lease_duration":3600,"data":{"username":"u"}}""");

        Assert.Equal("database/creds/app/abc", secret.LeaseId);
        Assert.Equal(TimeSpan.FromHours(1), secret.Duration);
        Assert.True(secret.Renewable);
    }

    [Fact]
    public void Assess_RenewableLease_FreshThenRenewalDueAtTheFraction()
    {
        var secret = Create("""{"lease_id":"l","renewable":true,"lease_duration":3600}""");

        // Due at 40 minutes, or up to a tenth earlier (jitter): from 36 on.
        Assert.Equal(SecretState.Fresh, secret.Assess(_time.GetUtcNow().AddMinutes(35), Fraction));
        Assert.Equal(SecretState.RenewalDue, secret.Assess(_time.GetUtcNow().AddMinutes(41), Fraction));
    }

    [Fact]
    public void Assess_LeasesIssuedTogether_FallDueSpreadOverTheJitterWindow()
    {
        var secrets = Enumerable.Range(0, 200).Select(_ => Create("""{"lease_id":"l","renewable":true,"lease_duration":3600}""")).ToList();

        // 36 to 40 minutes: the middle splits them, with odds of about 1e-60 that all land on one side.
        var dueAt38 = secrets.Count(secret => secret.Assess(_time.GetUtcNow().AddMinutes(38), Fraction) == SecretState.RenewalDue);

        Assert.InRange(dueAt38, 1, 199);
        Assert.All(secrets, secret => Assert.Equal(SecretState.Fresh, secret.Assess(_time.GetUtcNow().AddMinutes(35.9), Fraction)));
        Assert.All(secrets, secret => Assert.Equal(SecretState.RenewalDue, secret.Assess(_time.GetUtcNow().AddMinutes(40), Fraction)));
    }

    [Fact]
    public void Renewed_InFull_StaysFreshPastTheFirstDuration()
    {
        var secret = Create("""{"lease_id":"l","renewable":true,"lease_duration":3600}""");
        _time.Advance(TimeSpan.FromMinutes(41));

        Assert.True(secret.Renewed(_time.GetUtcNow(), new RenewalGrant(TimeSpan.FromHours(1), true)));
        _time.Advance(TimeSpan.FromMinutes(35));

        Assert.Equal(SecretState.Fresh, secret.Assess(_time.GetUtcNow(), Fraction));
    }

    [Fact]
    public void Renewed_TruncatedAtMaxTtl_MustBeReissuedWhileStillAlive()
    {
        var secret = Create("""{"lease_id":"l","renewable":true,"lease_duration":3600}""");
        _time.Advance(TimeSpan.FromMinutes(41));

        Assert.False(secret.Renewed(_time.GetUtcNow(), new RenewalGrant(TimeSpan.FromMinutes(10), true)));

        Assert.Equal(SecretState.ReissueDue, secret.Assess(_time.GetUtcNow(), Fraction));
        Assert.True(secret.IsAlive(_time.GetUtcNow().AddMinutes(9)));
    }

    [Fact]
    public void Assess_NonRenewableLease_ReissueDueAtTheFraction()
    {
        var secret = Create("""{"lease_id":"pki/issue/web/abc","renewable":false,"lease_duration":3600}""");

        Assert.Equal(SecretState.ReissueDue, secret.Assess(_time.GetUtcNow().AddMinutes(41), Fraction));
    }

    [Fact]
    public void Assess_CertificateWithoutLease_ReusedUntilTheFractionOfItsLifetime()
    {
        var notAfter = _time.GetUtcNow().AddHours(3).ToUnixTimeSeconds();
        var secret = Create("{\"lease_id\":\"\",\"data\":{\"certificate\":\"c\",\"serial_number\":\"1a:2b\",\"expiration\":" + notAfter + "}}");

        Assert.False(secret.Renewable);
        Assert.Equal(SecretState.Fresh, secret.Assess(_time.GetUtcNow().AddHours(1.75), Fraction));
        Assert.Equal(SecretState.ReissueDue, secret.Assess(_time.GetUtcNow().AddHours(2.1), Fraction));
    }

    [Fact]
    public void Exhaust_RefusedRenewal_ReissueDue()
    {
        var secret = Create("""{"lease_id":"l","renewable":true,"lease_duration":3600}""");

        secret.Exhaust();

        Assert.Equal(SecretState.ReissueDue, secret.Assess(_time.GetUtcNow(), Fraction));
    }

    [Fact]
    public void Assess_Expired_ReissueDue()
    {
        var secret = Create("""{"lease_id":"l","renewable":true,"lease_duration":60}""");

        Assert.Equal(SecretState.ReissueDue, secret.Assess(_time.GetUtcNow().AddMinutes(2), Fraction));
        Assert.False(secret.IsAlive(_time.GetUtcNow().AddMinutes(2)));
    }

    [Theory]
    [InlineData("2026-11-23T12:00:00Z")]
    [InlineData("unreadable")]
    public void TryCreate_NumberedKvVersionDeletedByNow_IsNotKept(string deletionTime) =>
        Assert.Null(CachedSecret.TryCreate(Token, NumberedVersion, KvVersion(deletionTime), _time.GetUtcNow()));

    [Fact]
    public void Assess_NumberedKvVersion_FreshForYearsUnlessScheduledForDeletion()
    {
        var unscheduled = CachedSecret.TryCreate(Token, NumberedVersion, KvVersion(""), _time.GetUtcNow())!;
        // delete_version_after: OpenBao serves the version until then, Go's nanoseconds and all.
        var scheduled = CachedSecret.TryCreate(Token, NumberedVersion, KvVersion("2026-11-23T12:30:00.123456789Z"), _time.GetUtcNow())!;

        Assert.Equal(SecretState.Fresh, unscheduled.Assess(_time.GetUtcNow().AddDays(365), Fraction));
        Assert.Equal(SecretState.Fresh, scheduled.Assess(_time.GetUtcNow().AddMinutes(17), Fraction));
        Assert.Equal(SecretState.ReissueDue, scheduled.Assess(_time.GetUtcNow().AddMinutes(31), Fraction));
    }

    [Fact]
    public void LeaseCache_PerTokenLimit_KeepsTheFirstRequests()
    {
        var cache = new LeaseCache(perTokenLimit: 2);
        foreach (var path in new[] { "a", "b", "c" })
        {
            cache.Store(CachedSecret.TryCreate(Token, Request with { Path = path }, Parse("""{"lease_id":"l","renewable":true,"lease_duration":60}"""), _time.GetUtcNow())!);
        }

        Assert.Equal(2, cache.Count);
        cache.ForgetAll(Token);
        Assert.Equal(0, cache.Count);
    }

    private static SecretRequestKey NumberedVersion { get; } = new("GET", "secret/data/shop/signing", "version=3", null);

    private static JsonElement KvVersion(string deletionTime) =>
        Parse("{\"data\":{\"data\":{\"key\":\"k\"},\"metadata\":{\"version\":3,\"destroyed\":false,\"deletion_time\":\"" + deletionTime + "\"}}}");

    private CachedSecret Create(string json) => CachedSecret.TryCreate(Token, Request, Parse(json), _time.GetUtcNow())!;

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
