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
        _ => string.Empty,
    };
}
