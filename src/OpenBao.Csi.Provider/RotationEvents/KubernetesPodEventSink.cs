using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using OpenBao.Csi.Provider.KubernetesApi;

namespace OpenBao.Csi.Provider.RotationEvents;

/// <summary>
/// core/v1 Events, created and aggregated the way client-go's recorder does: the first occurrence is
/// created with count 1, repeats patch <c>count</c> and <c>lastTimestamp</c> of that same Event.
/// </summary>
internal sealed class KubernetesPodEventSink(IKubernetes kubernetes, string reportingInstance) : IPodEventSink
{
    public const string Component = "openbao-csi-provider";

    public async Task CreateAsync(PodEvent podEvent, CancellationToken cancellationToken)
    {
        var body = new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { Name = podEvent.Name, NamespaceProperty = podEvent.Namespace },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = "v1",
                Kind = "Pod",
                Name = podEvent.PodName,
                NamespaceProperty = podEvent.Namespace,
                Uid = podEvent.PodUid,
            },
            Type = podEvent.Type,
            Reason = podEvent.Reason,
            Message = podEvent.Message,
            Count = podEvent.Count,
            FirstTimestamp = podEvent.FirstTimestamp.UtcDateTime,
            LastTimestamp = podEvent.LastTimestamp.UtcDateTime,
            Source = new V1EventSource { Component = Component, Host = reportingInstance },
            ReportingComponent = Component,
            ReportingInstance = reportingInstance,
        };
        try
        {
            await kubernetes.CoreV1.CreateNamespacedEventAsync(body, podEvent.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex)
        {
            throw Refused("create", podEvent, ex);
        }
    }

    public async Task<bool> AggregateAsync(PodEvent podEvent, CancellationToken cancellationToken)
    {
        var patch = string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"count":{{podEvent.Count}},"lastTimestamp":"{{podEvent.LastTimestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}"}""");
        try
        {
            await kubernetes.CoreV1.PatchNamespacedEventAsync(
                new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), podEvent.Name, podEvent.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (HttpOperationException ex)
        {
            throw Refused("patch", podEvent, ex);
        }
    }

    private static PodEventException Refused(string verb, PodEvent podEvent, HttpOperationException ex)
    {
        var hint = ex.Response.StatusCode == HttpStatusCode.Forbidden
            ? $"; grant the provider's service account '{verb}' on 'events' (the chart's ClusterRole does), or turn Events off with -emit-events=false"
            : string.Empty;
        return new PodEventException(
            $"the Kubernetes API refused to {verb} Event {podEvent.Namespace}/{podEvent.Name} (HTTP {(int)ex.Response.StatusCode}): {KubernetesStatusMessage.From(ex)}{hint}", ex);
    }
}
