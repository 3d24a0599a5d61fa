using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Auth;

/// <summary>
/// Picks the JWT the pod logs in with: the one the driver passed for the audience, else one
/// requested from Kubernetes when a requester is configured.
/// </summary>
/// <param name="requesterUnavailable">Why there is no requester (no Kubernetes API), for the error message.</param>
internal sealed class ServiceAccountTokenSource(string defaultAudience, IServiceAccountTokenRequester? requester, string? requesterUnavailable = null)
{
    public string AudienceFor(MountConfiguration mount) => mount.Audience ?? defaultAudience;

    public async Task<string> GetAsync(MountConfiguration mount, CancellationToken cancellationToken)
    {
        var audience = AudienceFor(mount);
        if (mount.DriverTokens.TryGetValue(audience, out var driverToken))
        {
            return driverToken.Token;
        }

        if (requester is null)
        {
            var offered = mount.DriverTokens.Count == 0 ? "none" : string.Join(", ", mount.DriverTokens.Keys.Order(StringComparer.Ordinal));
            throw new MissingServiceAccountTokenException(
                $"the CSI driver passed no service-account token for audience '{audience}' (audiences passed: {offered}); " +
                $"add tokenRequests: [{{audience: {audience}}}] to the CSIDriver secrets-store.csi.k8s.io " +
                "(Helm: the secrets-store-csi-driver chart's tokenRequests value), or set 'audience' in the SecretProviderClass to one that is passed" +
                (requesterUnavailable is null ? string.Empty : $"; the provider cannot request one itself: Kubernetes API unavailable ({requesterUnavailable})"));
        }

        // As the Go providers do: the SecretProviderClass's audience, else none, which the API server fills
        // with its own. Roles without an 'audience' accept any, but roles set up for the Go providers without
        // tokenRequests may name the API server's, so a token for -default-audience would be refused.
        return await requester.RequestAsync(mount.Pod, mount.Audience, cancellationToken).ConfigureAwait(false);
    }
}
