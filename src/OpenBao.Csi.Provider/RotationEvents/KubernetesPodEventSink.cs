using System.Globalization;
using System.Net;
using OpenBao.Csi.Provider.KubernetesApi;

namespace OpenBao.Csi.Provider.RotationEvents;

/// <summary>
/// core/v1 Events, created and aggregated the way client-go's recorder does: the first occurrence is
/// created with count 1, repeats patch <c>count</c> and <c>lastTimestamp</c> of that same Event.
/// </summary>
internal sealed class KubernetesPodEventSink(KubernetesApiClient kubernetes, string reportingInstance) : IPodEventSink
{
    public const string Component = "openbao-csi-provider";

    public async Task CreateAsync(PodEvent podEvent, CancellationToken cancellationToken)
    {
        var body = new CoreEvent(
            new ObjectMeta(podEvent.Name, podEvent.Namespace),
            new ObjectReference("Pod", podEvent.PodName, podEvent.PodUid, podEvent.Namespace),
            podEvent.Type,
            podEvent.Reason,
            podEvent.Message,
            podEvent.Count,
            Timestamp(podEvent.FirstTimestamp),
            Timestamp(podEvent.LastTimestamp),
            new EventSource(Component, reportingInstance),
            Component,
            reportingInstance);
        try
        {
            await kubernetes.SendAsync(
                HttpMethod.Post, EventsPath(podEvent), body, KubernetesJsonContext.Default.CoreEvent, KubernetesJsonContext.Default.KubernetesObject, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException ex) when (ex.IsAlreadyExists)
        {
            // The name is this Event's own: an earlier attempt was stored before its answer was lost (a 5xx retried), as client-go's recorder takes it.
        }
        catch (KubernetesApiException ex)
        {
            throw Refused("create", podEvent, ex);
        }
    }

    public async Task<bool> AggregateAsync(PodEvent podEvent, CancellationToken cancellationToken)
    {
        var patch = string.Create(CultureInfo.InvariantCulture, $$"""{"count":{{podEvent.Count}},"lastTimestamp":"{{Timestamp(podEvent.LastTimestamp)}}"}""");
        try
        {
            await kubernetes.PatchAsync($"{EventsPath(podEvent)}/{Uri.EscapeDataString(podEvent.Name)}", patch, StrategicMergePatch, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubernetesApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (KubernetesApiException ex)
        {
            throw Refused("patch", podEvent, ex);
        }
    }

    private const string StrategicMergePatch = "application/strategic-merge-patch+json";

    private static string EventsPath(PodEvent podEvent) => $"api/v1/namespaces/{Uri.EscapeDataString(podEvent.Namespace)}/events";

    /// <summary>metav1.Time: RFC 3339 in UTC, whole seconds.</summary>
    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static PodEventException Refused(string verb, PodEvent podEvent, KubernetesApiException ex)
    {
        var hint = ex.IsAuthorizationDenial
            ? $"; grant the provider's service account '{verb}' on 'events' (the chart's ClusterRole does), or turn Events off with -emit-events=false"
            : string.Empty;
        return new PodEventException(
            $"the Kubernetes API refused to {verb} Event {podEvent.Namespace}/{podEvent.Name} (HTTP {(int)ex.StatusCode}): {ex.Message}{hint}", ex);
    }
}
