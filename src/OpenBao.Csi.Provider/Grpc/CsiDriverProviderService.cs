using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Mounting;
using OpenBao.Csi.Provider.Pipeline;
using OpenBao.Csi.Provider.V1Alpha1;

namespace OpenBao.Csi.Provider.Grpc;

/// <summary>The driver-facing adapter: protobuf in, pipeline, protobuf or a status code out.</summary>
internal sealed class CsiDriverProviderService(MountPipeline pipeline, MountBudget budget, PeerAuthorization peers, ILogger<CsiDriverProviderService> logger)
    : CSIDriverProvider.CSIDriverProviderBase
{
    public const string ApiVersion = "v1alpha1";
    public const string RuntimeName = "openbao-csi-provider";

    public static string RuntimeVersion { get; } = ProviderVersion.Current;

    public override Task<VersionResponse> Version(VersionRequest request, ServerCallContext context) =>
        Task.FromResult(new VersionResponse { Version = ApiVersion, RuntimeName = RuntimeName, RuntimeVersion = RuntimeVersion });

    public override async Task<MountResponse> Mount(MountRequest request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        peers.Demand(context);
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

    private void LogFailure(MountRequest request, Status status, long started)
    {
        var caller = MountRequestParser.Identify(request.Attributes);
        Log.MountFailed(logger, caller.Namespace, caller.Pod, caller.PodUid, caller.SecretProviderClass, status.StatusCode,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds, status.Detail);
    }
}
