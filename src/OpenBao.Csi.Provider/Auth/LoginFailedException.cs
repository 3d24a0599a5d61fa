using OpenBao.Csi.Provider.OpenBao;

namespace OpenBao.Csi.Provider.Auth;

/// <summary>OpenBao refused the pod's login; <see cref="OpenBaoError"/> holds OpenBao's own reason.</summary>
internal sealed class LoginFailedException(string authMount, string role, string serviceAccount, OpenBaoException inner)
    : Exception(
        $"OpenBao login as role '{role}' on auth mount '{authMount}' failed for service account {serviceAccount}: {inner.Reason} (HTTP {inner.StatusCode})",
        inner)
{
    public OpenBaoException OpenBaoError { get; } = inner;
}
