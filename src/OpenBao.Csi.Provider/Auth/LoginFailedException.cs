using OpenBao.Csi.Provider.OpenBao;

namespace OpenBao.Csi.Provider.Auth;

/// <summary>OpenBao refused the pod's login; <see cref="OpenBaoError"/> holds OpenBao's own reason.</summary>
internal sealed class LoginFailedException(string authMount, string role, string serviceAccount, OpenBaoException inner)
    : Exception(
        $"OpenBao login as role '{role}' on auth mount '{authMount}' failed for service account {serviceAccount}: {inner.Reason} (HTTP {inner.StatusCode}){Hint(LoginRefusals.Classify(inner), role, authMount)}",
        inner)
{
    public OpenBaoException OpenBaoError { get; } = inner;

    public LoginRefusal Refusal { get; } = LoginRefusals.Classify(inner);

    private static string Hint(LoginRefusal refusal, string role, string authMount) => refusal switch
    {
        LoginRefusal.UnknownRole => $"; create role '{role}' on auth mount '{authMount}' or fix roleName",
        LoginRefusal.NotBound => $"; bind this service account and namespace to role '{role}'",
        LoginRefusal.Denied =>
            $"; OpenBao says only this when its TokenReview fails (a token from another cluster than the auth method's kubernetes_host, " +
            "or OpenBao unable to review tokens: its reviewer needs system:auth-delegator and a route to the API server), " +
            $"when there is no auth mount '{authMount}' in this OpenBao namespace, or when role '{role}' has token_bound_cidrs that exclude this node",
        LoginRefusal.RoleMisconfigured => $"; role '{role}' cannot accept a service-account token as configured",
        LoginRefusal.UnknownNamespace => "; check the OpenBao namespace (the namespace parameter or -openbao-namespace)",
        LoginRefusal.NamespaceClosed => $"; {OpenBaoException.NamespaceClosedHint}",
        LoginRefusal.CheckUnavailable =>
            $"; OpenBao could not reach what auth mount '{authMount}' checks logins against (the jwt auth method's jwks_url or oidc_discovery_url, or the Kubernetes API for the namespace selector of role '{role}')",
        _ => string.Empty,
    };
}
