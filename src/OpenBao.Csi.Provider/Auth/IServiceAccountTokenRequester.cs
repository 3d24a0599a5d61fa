using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Auth;

/// <summary>Obtains a service-account token for a pod when the driver did not pass one.</summary>
internal interface IServiceAccountTokenRequester
{
    /// <param name="audience">The SecretProviderClass's audience; null asks for the API server's default audiences.</param>
    Task<string> RequestAsync(PodIdentity pod, string? audience, CancellationToken cancellationToken);
}
