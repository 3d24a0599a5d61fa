namespace OpenBao.Emulator;

/// <summary>
/// A role of the kubernetes auth method. Bound lists accept <c>*</c> globs, as OpenBao's do. The token
/// settings are checked when the role is added, with OpenBao's messages (e.g. a batch role cannot be periodic).
/// </summary>
/// <param name="TokenTtl">Zero means the mount default (768h).</param>
/// <param name="Audience">When set, the JWT's <c>aud</c> must contain it. When not, only tokens for the Kubernetes API
/// (<see cref="ServiceAccountTokenIssuer.Issuer"/>) pass, as OpenBao's TokenReview without audiences lets the API server decide.</param>
/// <param name="TokenMaxTtl"><c>token_max_ttl</c>: zero means the mount maximum (768h). Caps a TTL counted from login;
/// for a periodic token it only caps the period, as in OpenBao.</param>
/// <param name="TokenPeriod"><c>token_period</c>: zero means none. Every login and renewal grants the period, whatever
/// increment was asked, and the token lives as long as it is renewed (unless <paramref name="TokenExplicitMaxTtl"/> is set).</param>
/// <param name="TokenType"><c>token_type</c>: <c>service</c> (or <c>default</c>) or <c>batch</c>.</param>
/// <param name="TokenExplicitMaxTtl"><c>token_explicit_max_ttl</c>: a hard limit from login, periodic tokens included; zero means none.</param>
public sealed record KubernetesRole(
    IReadOnlyList<string> BoundServiceAccountNames,
    IReadOnlyList<string> BoundServiceAccountNamespaces,
    IReadOnlyList<string> Policies,
    TimeSpan TokenTtl,
    string? Audience = null,
    TimeSpan TokenMaxTtl = default,
    TimeSpan TokenPeriod = default,
    string TokenType = "service",
    TimeSpan TokenExplicitMaxTtl = default);
