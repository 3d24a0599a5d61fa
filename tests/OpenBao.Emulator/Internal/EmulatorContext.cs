using OpenBao.Emulator.Internal.Crypto;
using OpenBao.Emulator.Internal.Tokens;

namespace OpenBao.Emulator.Internal;

/// <summary>The services every backend shares.</summary>
internal sealed class EmulatorContext(TimeProvider time, ServiceAccountTokenIssuer issuer)
{
    public TimeProvider Time { get; } = time;

    public ServiceAccountTokenIssuer Issuer { get; } = issuer;

    public TrustedSigningKeys TrustedKeys { get; } = new();

    /// <summary>The kubernetes auth method cannot review tokens: every TokenReview fails.</summary>
    public bool TokenReviewsFail { get; set; }

    public TokenStore Tokens { get; } = new(time);

    public LeaseStore Leases { get; } = new(time);
}
