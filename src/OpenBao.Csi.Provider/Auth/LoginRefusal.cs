using OpenBao.Csi.Provider.OpenBao;

namespace OpenBao.Csi.Provider.Auth;

/// <summary>Why OpenBao refused a login, which decides whose problem it is.</summary>
internal enum LoginRefusal
{
    /// <summary>Not a refusal of the pod: OpenBao failed (5xx, sealed, rate limited).</summary>
    ServerError,

    /// <summary>The JWT itself was not accepted: malformed, badly signed, expired, wrong audience.</summary>
    InvalidCredential,

    /// <summary>The pod was identified, but its service account, namespace or claims are not bound to the role.</summary>
    NotBound,

    /// <summary>The role does not exist on that auth mount.</summary>
    UnknownRole,

    /// <summary>
    /// A bare <c>permission denied</c>: kubernetes auth answers it for every failed TokenReview, whether the cluster
    /// rejected the token or OpenBao could not ask it; and OpenBao for a missing auth mount or a <c>token_bound_cidrs</c> miss.
    /// </summary>
    Denied,

    /// <summary>The role can never accept a service-account token as configured (an oidc role, no bound audiences).</summary>
    RoleMisconfigured,

    /// <summary>The OpenBao namespace the login went to does not exist.</summary>
    UnknownNamespace,

    /// <summary>An administrator sealed the OpenBao namespace or locked its API (<see cref="OpenBaoException.IsNamespaceClosed"/>).</summary>
    NamespaceClosed,

    /// <summary>
    /// OpenBao could not reach what it checks the login against: the jwt auth method's keys (JWKS or OIDC discovery),
    /// or the Kubernetes API for a role's namespace selector.
    /// </summary>
    CheckUnavailable,
}

/// <summary>
/// Reads OpenBao's login errors. Both auth methods overload their status codes (kubernetes answers
/// 400 for an unknown role and 403 for both a bad JWT and an unbound account; jwt answers 400 for
/// everything), so the error text is what tells the cases apart.
/// </summary>
internal static class LoginRefusals
{
    private static readonly string[] UnknownRoleMarkers = ["invalid role name", "could not be found"];

    private static readonly string[] RoleMisconfiguredMarkers =
    [
        "role with oidc role_type is not allowed",
        "no audiences bound to the role",
    ];

    // The jwt auth method's "error configuring token validator", go-oidc's "fetching keys" under "error verifying token
    // signature", and kubernetes auth's "namespace not authorized err=<why the namespace's labels could not be read>".
    private static readonly string[] CheckUnavailableMarkers = ["error configuring token validator", "fetching keys", "namespace not authorized err="];

    private static readonly string[] NotBoundMarkers =
    [
        "service account name not authorized",
        "namespace not authorized",
        "service account uid not authorized",
        "error validating claims",
        "invalid subject (sub) claim",
        "does not match any associated bound claim",
    ];

    public static LoginRefusal Classify(OpenBaoException error)
    {
        var reason = error.Reason;
        // A 500 that is about the token: one without the service account UID claim (a legacy Secret-based token).
        if (reason.Contains("could not parse UID from claims", StringComparison.Ordinal))
        {
            return LoginRefusal.InvalidCredential;
        }

        if (error.IsNamespaceClosed)
        {
            return LoginRefusal.NamespaceClosed;
        }

        if (error.StatusCode is not (>= 400 and < 429))
        {
            return LoginRefusal.ServerError;
        }

        if (error.StatusCode == 404 && reason.Contains("namespace not found", StringComparison.Ordinal))
        {
            return LoginRefusal.UnknownNamespace;
        }

        if (error.StatusCode == 403 && reason == "permission denied")
        {
            return LoginRefusal.Denied;
        }

        if (RoleMisconfiguredMarkers.Any(marker => reason.Contains(marker, StringComparison.Ordinal)))
        {
            return LoginRefusal.RoleMisconfigured;
        }

        if (CheckUnavailableMarkers.Any(marker => reason.Contains(marker, StringComparison.Ordinal)))
        {
            return LoginRefusal.CheckUnavailable;
        }

        if (UnknownRoleMarkers.Any(marker => reason.Contains(marker, StringComparison.OrdinalIgnoreCase)) && reason.Contains("role", StringComparison.OrdinalIgnoreCase))
        {
            return LoginRefusal.UnknownRole;
        }

        return NotBoundMarkers.Any(marker => reason.Contains(marker, StringComparison.OrdinalIgnoreCase))
            ? LoginRefusal.NotBound
            : LoginRefusal.InvalidCredential;
    }
}
