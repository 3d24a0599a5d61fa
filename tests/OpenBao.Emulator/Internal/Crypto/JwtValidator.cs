using System.Text.Json;

namespace OpenBao.Emulator.Internal.Crypto;

/// <summary>
/// The claim checks of <c>hashicorp/cap</c>'s JWT validator, which both auth methods use, in its
/// order (subject, audience, then times) and with its messages.
/// </summary>
internal static class JwtValidator
{
    private static readonly TimeSpan ClockSkewLeeway = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan MissingTimeLeeway = TimeSpan.FromSeconds(150);

    /// <param name="allowMissingTimes">Kubernetes auth accepts a token without iat, nbf and exp.</param>
    /// <returns>The error, or null when the claims pass.</returns>
    public static string? Validate(JsonElement claims, IReadOnlyList<string> expectedAudiences, string? expectedSubject, DateTimeOffset now, bool allowMissingTimes)
    {
        if (!string.IsNullOrEmpty(expectedSubject) && expectedSubject != JwtClaims.GetString(claims, "sub"))
        {
            return "invalid subject (sub) claim";
        }

        if (expectedAudiences.Count > 0 && !JwtClaims.Audiences(claims).Any(expectedAudiences.Contains))
        {
            return "invalid audience (aud) claim: audience claim does not match any expected audience";
        }

        var issuedAt = JwtClaims.NumericDate(claims, "iat");
        var expiry = JwtClaims.NumericDate(claims, "exp");
        var notBefore = JwtClaims.NumericDate(claims, "nbf");
        if (issuedAt == 0 && expiry == 0 && notBefore == 0)
        {
            return allowMissingTimes ? null : "no issued at (iat), not before (nbf), or expiration time (exp) claims in token";
        }

        if (expiry == 0)
        {
            expiry = Math.Max(issuedAt, notBefore) + (long)MissingTimeLeeway.TotalSeconds;
        }

        if (notBefore == 0)
        {
            notBefore = issuedAt != 0 ? issuedAt : expiry - (long)MissingTimeLeeway.TotalSeconds;
        }

        if (now + ClockSkewLeeway < DateTimeOffset.FromUnixTimeSeconds(notBefore))
        {
            return "invalid not before (nbf) claim: token not yet valid";
        }

        if (now - ClockSkewLeeway > DateTimeOffset.FromUnixTimeSeconds(expiry))
        {
            return "invalid expiration time (exp) claim: token is expired";
        }

        return now + ClockSkewLeeway < DateTimeOffset.FromUnixTimeSeconds(issuedAt)
            ? "invalid issued at (iat) claim: token issued in the future"
            : null;
    }
}
