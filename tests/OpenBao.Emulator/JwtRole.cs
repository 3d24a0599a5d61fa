namespace OpenBao.Emulator;

/// <summary>A role of the jwt auth method. Token settings behave as on <see cref="KubernetesRole"/>.</summary>
/// <param name="BoundAudiences">Empty means a token that carries any <c>aud</c> is refused, as in OpenBao.</param>
/// <param name="UserClaim">Claim whose string value names the entity alias.</param>
/// <param name="TokenTtl">Zero means the mount default (768h).</param>
/// <param name="BoundClaims">Claim (or JSON pointer such as <c>/kubernetes.io/namespace</c>) to required value.</param>
/// <param name="TokenMaxTtl"><c>token_max_ttl</c>: zero means the mount maximum (768h).</param>
/// <param name="TokenPeriod"><c>token_period</c>: zero means none.</param>
/// <param name="TokenType"><c>token_type</c>: <c>service</c> (or <c>default</c>) or <c>batch</c>.</param>
/// <param name="TokenExplicitMaxTtl"><c>token_explicit_max_ttl</c>: zero means none.</param>
/// <param name="RoleType"><c>role_type</c>: <c>jwt</c>, or <c>oidc</c>, which a JWT login may not use.</param>
public sealed record JwtRole(
    IReadOnlyList<string> BoundAudiences,
    string UserClaim,
    IReadOnlyList<string> Policies,
    TimeSpan TokenTtl,
    string? BoundSubject = null,
    IReadOnlyDictionary<string, string>? BoundClaims = null,
    TimeSpan TokenMaxTtl = default,
    TimeSpan TokenPeriod = default,
    string TokenType = "service",
    TimeSpan TokenExplicitMaxTtl = default,
    string RoleType = "jwt");
