using System.Net;
using OpenBao.Csi.Provider.KubernetesApi;
using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Auth;

/// <summary>
/// The fallback when the CSIDriver has no <c>tokenRequests</c>: a short-lived service-account token
/// from the TokenRequest API, bound to the pod so it dies with it.
/// </summary>
internal sealed class KubernetesTokenRequester(KubernetesApiClient kubernetes) : IServiceAccountTokenRequester
{
    /// <summary>The API's minimum; the token is only used for one login.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public async Task<string> RequestAsync(PodIdentity pod, string? audience, CancellationToken cancellationToken)
    {
        if (pod.Name is null || pod.Uid is null)
        {
            throw new ServiceAccountTokenException(
                $"cannot request a service-account token for {pod.Namespace}/{pod.ServiceAccountName}: the driver did not pass the pod's name and uid");
        }

        var request = new TokenRequest(new TokenRequestSpec(
            audience is null ? [] : [audience],
            (long)Lifetime.TotalSeconds,
            new ObjectReference("Pod", pod.Name, pod.Uid)));
        var path = $"api/v1/namespaces/{Uri.EscapeDataString(pod.Namespace)}/serviceaccounts/{Uri.EscapeDataString(pod.ServiceAccountName)}/token";
        try
        {
            var response = await kubernetes.SendAsync(
                HttpMethod.Post, path, request, KubernetesJsonContext.Default.TokenRequest, KubernetesJsonContext.Default.TokenRequestResult, cancellationToken).ConfigureAwait(false);
            return response.Status?.Token is { Length: > 0 } token
                ? token
                : throw new ServiceAccountTokenException($"the TokenRequest for {pod.Namespace}/{pod.ServiceAccountName} returned no token");
        }
        catch (KubernetesApiException ex)
        {
            throw new ServiceAccountTokenException(Describe(ex, pod, audience), ex.StatusCode, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServiceAccountTokenException($"the Kubernetes API did not answer the TokenRequest for {pod.Namespace}/{pod.ServiceAccountName} in time", inner: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ServiceAccountTokenException($"cannot reach the Kubernetes API to request a token for {pod.Namespace}/{pod.ServiceAccountName}: {ex.Message}", inner: ex);
        }
    }

    private static string Describe(KubernetesApiException refusal, PodIdentity pod, string? audience) => refusal switch
    {
        { IsNamespaceTerminating: true } =>
            $"namespace {pod.Namespace} is being deleted, and the Kubernetes API creates no more tokens in it ({refusal.Message})",
        { IsAuthorizationDenial: true } =>
            $"the provider may not request tokens for {pod.Namespace}/{pod.ServiceAccountName}: grant its service account 'create' on 'serviceaccounts/token' " +
            $"(the chart's ClusterRole does), or pass the pod's token through the CSIDriver's tokenRequests for audience {(audience is null ? "-default-audience (the SecretProviderClass sets none)" : $"'{audience}'")} ({refusal.Message})",
        // The API looks up the bound pod as well as the service account: a pod deleted mid-mount is a 404 too.
        { StatusCode: HttpStatusCode.NotFound } => $"service account {pod.Namespace}/{pod.ServiceAccountName} or pod {pod.Name} does not exist ({refusal.Message})",
        _ => $"TokenRequest for {pod.Namespace}/{pod.ServiceAccountName} failed with HTTP {(int)refusal.StatusCode}: {refusal.Message}",
    };
}
