using Grpc.Core;
using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.KubernetesApi;
using OpenBao.Csi.Provider.Metrics;
using OpenBao.Csi.Provider.Mounting;
using OpenBao.Csi.Provider.Pipeline;
using OpenBao.Csi.Provider.RotationEvents;
using OpenBao.Csi.Provider.V1Alpha1;

namespace OpenBao.Csi.Provider.Grpc;

/// <summary>The driver-facing adapter: protobuf in, pipeline, protobuf or a status code out.</summary>
internal sealed class CsiDriverProviderService(
    MountPipeline pipeline,
    MountBudget budget,
    PeerAuthorization peers,
    ProviderMetrics metrics,
    RotationEventRecorder rotations,
    MountActivity activity,
    RunningPods runningPods,
    ILogger<CsiDriverProviderService> logger)
    : CSIDriverProvider.CSIDriverProviderBase
{
    public const string ApiVersion = "v1alpha1";
    public const string RuntimeName = "openbao-csi-provider";

    public static string RuntimeVersion { get; } = ProviderVersion.Current;

    public override Task<VersionResponse> Version(VersionRequest request, ServerCallContext context) =>
        Task.FromResult(new VersionResponse { Version = ApiVersion, RuntimeName = RuntimeName, RuntimeVersion = RuntimeVersion });

    public override async Task<MountResponse> Mount(MountRequest request, ServerCallContext context)
    {
        // The kubelet republishes with the same request as the first publish, so a rotation poll is a mount
        // served before, or one for a pod already running (this process may have restarted since); the driver's
        // older rotation reconciler said so by sending the versions it held.
        var attributes = MountAttributes.Read(request.Attributes);
        var caller = MountRequestParser.Identify(attributes);
        var key = RotationKeyOf(caller);
        var rotationPoll = request.CurrentObjectVersion.Count > 0
            || (key is { } known && (rotations.WasServed(known) || runningPods.Contains(known.PodUid)));
        // Durations are recorded once the answer is on its way, not while the driver waits for it.
        context.GetHttpContext().Response.OnCompleted(RecordPendingDurations, metrics);
        var measurement = metrics.StartMount(rotationPoll);
        activity.Arrived();
        var admitted = false;
        try
        {
            peers.Demand(context);
            admitted = true;
            var (response, result) = await MountResponses.AnswerAsync(pipeline, budget, attributes, request.Permission, context.Deadline, logger, context.CancellationToken)
                .ConfigureAwait(false);
            // Logged once the answer is known to fit, so every mount has exactly one line.
            var mount = result.Mount;
            Pipeline.Log.Mounted(logger, mount.Pod.Namespace, mount.Pod.Name, mount.Pod.Uid, mount.SecretProviderClass, "OK", mount.Objects.Count,
                result.Files.Count, result.Reads, result.Reused, measurement.Elapsed.TotalMilliseconds);
            if (key is { } served)
            {
                rotations.Succeeded(served);
            }

            // Last, so a mount that fails after all (a logging provider that throws) is counted once, as Unknown.
            measurement.Finish(StatusCode.OK);
            return response;
        }
        catch (RpcException ex)
        {
            measurement.Finish(ex.StatusCode);
            // Refused at the socket: not the pod's mount, so neither its log line nor a rotation Event.
            if (admitted)
            {
                Log.MountFailed(logger, caller.Namespace, caller.Pod, caller.PodUid, caller.SecretProviderClass, ex.StatusCode,
                    measurement.Elapsed.TotalMilliseconds, ex.Status.Detail);
                if (key is { } failed)
                {
                    rotations.Failed(failed, rotationPoll, ex.StatusCode, ex.Status.Detail);
                }
            }

            throw;
        }
        catch (Exception)
        {
            // gRPC answers anything else with Unknown.
            measurement.Finish(StatusCode.Unknown);
            throw;
        }
        finally
        {
            activity.Answered();
        }
    }

    private static Task RecordPendingDurations(object metrics)
    {
        ((ProviderMetrics)metrics).RecordPendingDurations();
        return Task.CompletedTask;
    }

    private static RotationKey? RotationKeyOf(MountCaller caller) =>
        caller is { Namespace: { } ns, Pod: { } pod, PodUid: { } uid, SecretProviderClass: { } spc }
            ? new RotationKey(ns, pod, uid, spc)
            : null;
}
