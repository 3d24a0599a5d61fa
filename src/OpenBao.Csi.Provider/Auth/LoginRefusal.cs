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
}

/// <summary>
/// Reads OpenBao's login errors. Both auth methods overload their status codes (kubernetes answers
/// 400 for an unknown role and 403 for both a bad JWT and an unbound account; jwt answers 400 for
/// everything), so the error text is what tells the cases apart.
/// </summary>
internal static class LoginRefusals
{
    private static readonly string[] UnknownRoleMarkers = ["invalid role name", "could not be found"];

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
        if (error.StatusCode is not (>= 400 and < 429))
        {
            return LoginRefusal.ServerError;
        }

        var reason = error.Reason;
        if (UnknownRoleMarkers.Any(marker => reason.Contains(marker, StringComparison.OrdinalIgnoreCase)) && reason.Contains("role", StringComparison.OrdinalIgnoreCase))
        {
            return LoginRefusal.UnknownRole;
        }

        return NotBoundMarkers.Any(marker => reason.Contains(marker, StringComparison.OrdinalIgnoreCase))
            ? LoginRefusal.NotBound
            : LoginRefusal.InvalidCredential;
    }
}
