using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Logging;
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
        // served before; the driver's older rotation reconciler said so by sending the versions it held.
        var key = RotationKeyOf(request);
        var rotationPoll = request.CurrentObjectVersion.Count > 0 || (key is { } known && rotations.WasServed(known));
        var measurement = metrics.StartMount(rotationPoll);
        activity.Arrived();
        try
        {
            return await ServeAsync(request, context, key, rotationPoll, measurement).ConfigureAwait(false);
        }
        finally
        {
            activity.Answered();
        }
    }

    private async Task<MountResponse> ServeAsync(MountRequest request, ServerCallContext context, RotationKey? key, bool rotationPoll, ProviderMetrics.MountMeasurement measurement)
    {
        try
        {
            peers.Demand(context);
        }
        catch (RpcException ex)
        {
            // Refused at the socket: not the pod's mount, so no rotation Event.
            measurement.Finish(ex.StatusCode);
            throw;
        }

        try
        {
            var response = await AnswerAsync(request, context).ConfigureAwait(false);
            measurement.Finish(StatusCode.OK);
            if (key is { } served)
            {
                rotations.Succeeded(served);
            }

            return response;
        }
        catch (RpcException ex)
        {
            measurement.Finish(ex.StatusCode);
            if (key is { } failed)
            {
                rotations.Failed(failed, rotationPoll, ex.StatusCode, ex.Status.Detail);
            }

            throw;
        }
        catch (Exception)
        {
            // gRPC answers anything else with Unknown.
            measurement.Finish(StatusCode.Unknown);
            throw;
        }
    }

    private async Task<MountResponse> AnswerAsync(MountRequest request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        MountResult result;
        using var limit = budget.Start(context.CancellationToken);
        try
        {
            result = await pipeline.MountAsync(request.Attributes, request.Permission, limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var status = MountErrorMapping.ToStatus(ex, context.Deadline, limit.Spent ? budget.Timeout : null);
            if (status.Detail == MountErrorMapping.UnexpectedDetail)
            {
                Log.MountCrashed(logger, MountRequestParser.DescribePod(request.Attributes), ex.GetType().FullName ?? ex.GetType().Name, ex.StackTrace);
            }

            LogFailure(request, status, started);

            throw new RpcException(status);
        }

        var response = MountResponses.From(result);
        if (MountResponses.TooLarge(response) is { } exhausted)
        {
            LogFailure(request, exhausted, started);
            throw new RpcException(exhausted);
        }

        // Logged here, once the answer is known to fit, so every mount has exactly one line.
        var mount = result.Mount;
        Pipeline.Log.Mounted(logger, mount.Pod.Namespace, mount.Pod.Name, mount.Pod.Uid, mount.SecretProviderClass, "OK", mount.Objects.Count,
            result.Files.Count, result.Reads, result.Reused, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return response;
    }

    private static RotationKey? RotationKeyOf(MountRequest request)
    {
        var caller = MountRequestParser.Identify(request.Attributes);
        return caller is { Namespace: { } ns, Pod: { } pod, PodUid: { } uid, SecretProviderClass: { } spc }
            ? new RotationKey(ns, pod, uid, spc)
            : null;
    }

    private void LogFailure(MountRequest request, Status status, long started)
    {
        var caller = MountRequestParser.Identify(request.Attributes);
        Log.MountFailed(logger, caller.Namespace, caller.Pod, caller.PodUid, caller.SecretProviderClass, status.StatusCode,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds, status.Detail);
    }
}
