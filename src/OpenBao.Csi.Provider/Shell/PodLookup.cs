using System.Text.Json;
using OpenBao.Csi.Provider.KubernetesApi;

namespace OpenBao.Csi.Provider.Shell;

/// <summary>
/// Fills in what the kubelet knows about the pod and the command line did not say: its UID, which binds a
/// requested token to the pod, and its service account, which the API server requires the token to be for.
/// </summary>
internal static class PodLookup
{
    public static async Task<MountPod> CompleteAsync(KubernetesApiClient kubernetes, MountPod pod, bool serviceAccountGiven, CancellationToken cancellationToken)
    {
        Pod found;
        try
        {
            found = await kubernetes.SendAsync(
                HttpMethod.Get,
                $"api/v1/namespaces/{Uri.EscapeDataString(pod.Namespace)}/pods/{Uri.EscapeDataString(pod.Name)}",
                KubernetesJsonContext.Default.Pod,
                cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException ex)
        {
            throw new MountSetupException(
                $"cannot read pod {pod.Namespace}/{pod.Name} for its UID and service account (HTTP {(int)ex.StatusCode}: {ex.Message}); pass -pod-uid and -service-account, or -token-file", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new MountSetupException($"cannot reach the Kubernetes API to read pod {pod.Namespace}/{pod.Name}: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MountSetupException($"the Kubernetes API did not answer in time for pod {pod.Namespace}/{pod.Name}; pass -pod-uid and -service-account, or -token-file", ex);
        }
        catch (JsonException ex)
        {
            throw new MountSetupException($"the Kubernetes API answered for pod {pod.Namespace}/{pod.Name} with a body that is not a Pod: {ex.Message}", ex);
        }

        return pod with
        {
            Uid = pod.Uid ?? found.Metadata?.Uid,
            ServiceAccount = serviceAccountGiven ? pod.ServiceAccount : found.Spec?.ServiceAccountName ?? MountOptions.DefaultServiceAccount,
        };
    }
}
