namespace OpenBao.Emulator;

/// <summary>A <c>role_type: jwt</c> role of the jwt auth method.</summary>
/// <param name="BoundAudiences">Empty means a token that carries any <c>aud</c> is refused, as in OpenBao.</param>
/// <param name="UserClaim">Claim whose string value names the entity alias.</param>
/// <param name="TokenTtl">Zero means the mount default (768h).</param>
/// <param name="BoundClaims">Claim (or JSON pointer such as <c>/kubernetes.io/namespace</c>) to required value.</param>
public sealed record JwtRole(
    IReadOnlyList<string> BoundAudiences,
    string UserClaim,
    IReadOnlyList<string> Policies,
    TimeSpan TokenTtl,
    string? BoundSubject = null,
    IReadOnlyDictionary<string, string>? BoundClaims = null);
