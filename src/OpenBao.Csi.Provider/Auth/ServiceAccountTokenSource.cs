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

        // The audience a driver token would have carried, so one role setup (audience=openbao) works with
        // and without tokenRequests. The Go provider asks for the API server's default audiences here;
        // roles that rely on that set 'audience' in the SecretProviderClass or -default-audience.
        return await requester.RequestAsync(mount.Pod, audience, cancellationToken).ConfigureAwait(false);
    }
}
