using System.Text.Json;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.Internal;
using OpenBao.Csi.Provider.OpenBao;

namespace OpenBao.Csi.Provider.Fetching;

/// <summary>
/// A dynamic secret kept for the next polls of its pod: the response as issued, and the lease
/// (or certificate lifetime) that says how long it may be served. It belongs to the token it was
/// read with, because OpenBao ends a token's leases with the token; a certificate without a lease passes
/// to the pod's next token.
/// </summary>
internal sealed class CachedSecret
{
    private readonly Lock _gate = new();
    private readonly double _shareEarlier = RenewalJitter.Draw();
    private DateTimeOffset _grantedAt;
    private TimeSpan _granted;
    private bool _exhausted;
    private bool _stillValid;

    private CachedSecret(
        CachedToken issuedWith, SecretRequestKey request, JsonElement response, string? leaseId, TimeSpan duration, bool renewable, DateTimeOffset obtainedAt, bool outlivesToken = false)
    {
        OutlivesToken = outlivesToken;
        IssuedWith = issuedWith;
        Request = request;
        Response = response;
        LeaseId = leaseId;
        Duration = duration;
        Renewable = renewable;
        _grantedAt = obtainedAt;
        _granted = duration;
    }

    public CachedToken IssuedWith { get; }

    public SecretRequestKey Request { get; }

    public JsonElement Response { get; }

    /// <summary>Null for a certificate without a lease.</summary>
    public string? LeaseId { get; }

    /// <summary>The lease duration as first issued: the increment every renewal asks for.</summary>
    public TimeSpan Duration { get; }

    public bool Renewable { get; }

    /// <summary>
    /// A certificate issued without a lease: nothing in OpenBao ties it to the token that issued it, so the pod's
    /// next token serves it on. A numbered KV version is not: a new token must show it may still read it.
    /// </summary>
    public bool OutlivesToken { get; }

    /// <summary>How long an immutable answer is kept: longer than any token lives, so only the token's end drops it.</summary>
    private static readonly TimeSpan ImmutableLifetime = TimeSpan.FromDays(3650);

    /// <summary>
    /// Keeps a response that has a lease (a non-empty <c>lease_id</c>), a certificate with an <c>expiration</c>
    /// (PKI issues those without a lease), or a numbered KV v2 version. Anything else (KV as it is now) is read
    /// again on every poll.
    /// </summary>
    public static CachedSecret? TryCreate(CachedToken issuedWith, SecretRequestKey request, JsonElement response, DateTimeOffset now)
    {
        if (response.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (response.TryGetProperty("lease_id", out var leaseId) && leaseId.ValueKind == JsonValueKind.String && leaseId.GetString() is { Length: > 0 } id)
        {
            var seconds = response.TryGetProperty("lease_duration", out var d) && d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out var s) ? s : 0;
            var renewable = response.TryGetProperty("renewable", out var r) && r.ValueKind == JsonValueKind.True;
            return seconds > 0 ? new CachedSecret(issuedWith, request, response, id, OpenBaoDuration.FromSeconds(seconds), renewable, now) : null;
        }

        if (response.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("certificate", out var certificate) && certificate.ValueKind == JsonValueKind.String
            && data.TryGetProperty("serial_number", out var serial) && serial.ValueKind == JsonValueKind.String
            && data.TryGetProperty("expiration", out var expiration) && expiration.ValueKind == JsonValueKind.Number && expiration.TryGetInt64(out var notAfter))
        {
            var lifetime = OpenBaoDuration.FromUnixSeconds(notAfter) - now;
            return lifetime > TimeSpan.Zero ? new CachedSecret(issuedWith, request, response, null, lifetime, renewable: false, now, outlivesToken: true) : null;
        }

        // A numbered KV v2 version never changes once written: kept for the token's life (version history re-reads
        // only the metadata), or until its scheduled deletion (delete_version_after).
        if (request is { Method: "GET", Query: { } query } && query.StartsWith("version=", StringComparison.Ordinal)
            && response.TryGetProperty("data", out var kv) && kv.ValueKind == JsonValueKind.Object
            && kv.TryGetProperty("data", out var stored) && stored.ValueKind == JsonValueKind.Object
            && kv.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            var lifetime = KvV2DeletionTime.Remaining(metadata, now) ?? ImmutableLifetime;
            return lifetime > TimeSpan.Zero ? new CachedSecret(issuedWith, request, response, null, lifetime, renewable: false, now) : null;
        }

        return null;
    }

    public SecretState Assess(DateTimeOffset now, double renewFraction)
    {
        lock (_gate)
        {
            if (_exhausted || now >= _grantedAt + _granted)
            {
                return SecretState.ReissueDue;
            }

            if (now < _grantedAt + RenewalJitter.Point(_granted, renewFraction, _shareEarlier))
            {
                return SecretState.Fresh;
            }

            return Renewable ? SecretState.RenewalDue : SecretState.ReissueDue;
        }
    }

    /// <summary>The same certificate, owned by the pod's next token.</summary>
    public CachedSecret AdoptedBy(CachedToken token)
    {
        lock (_gate)
        {
            return OutlivesToken
                ? new CachedSecret(token, Request, Response, null, _granted, renewable: false, _grantedAt, outlivesToken: true)
                : throw new InvalidOperationException("only a certificate without a lease outlives its token");
        }
    }

    /// <summary>
    /// Past halfway from its renewal point to its end: a poll or two before it dies, so a credential that cannot be
    /// renewed is replaced while it still works instead of on the first poll after it died.
    /// </summary>
    public bool IsEnding(DateTimeOffset now, double renewFraction)
    {
        lock (_gate)
        {
            return now >= _grantedAt + (_granted * ((1 + renewFraction) / 2));
        }
    }

    public bool IsAlive(DateTimeOffset now)
    {
        lock (_gate)
        {
            return now < _grantedAt + _granted;
        }
    }

    /// <summary>
    /// Records a renewal. A grant shorter than the original duration means the lease's max TTL is near:
    /// the secret is marked for re-issue so the next poll brings a new one before this one ends.
    /// </summary>
    /// <returns>False when the secret must be re-issued.</returns>
    public bool Renewed(DateTimeOffset now, RenewalGrant grant)
    {
        lock (_gate)
        {
            _grantedAt = now;
            _granted = grant.Ttl;
            _exhausted = grant.Ttl < Duration;
            return !_exhausted;
        }
    }

    /// <summary>Issue a new one at the next poll.</summary>
    /// <param name="stillValid">
    /// Renewal failed but OpenBao did not refuse the lease: the credential works until its end, so it may stand in
    /// while a new one cannot be issued. False when OpenBao refused it (unknown, expired, revoked, not renewable).
    /// </param>
    public void Exhaust(bool stillValid = false)
    {
        lock (_gate)
        {
            _exhausted = true;
            _stillValid = stillValid;
        }
    }

    /// <summary>
    /// Whether it may be served in place of a successor OpenBao failed to issue: it has not ended and OpenBao never
    /// refused it, so the pod loses nothing, and the driver would keep these files after a failed poll anyway.
    /// </summary>
    public bool MayStandIn(DateTimeOffset now)
    {
        lock (_gate)
        {
            return (!_exhausted || _stillValid) && now < _grantedAt + _granted;
        }
    }

    public override string ToString() => $"CachedSecret({Request}, lease {Duration}, renewable={Renewable})";
}
