using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Mounting;
using OpenBao.Csi.Provider.Pipeline;
using OpenBao.Csi.Provider.V1Alpha1;

namespace OpenBao.Csi.Provider.Grpc;

/// <summary>A mount's result as the driver receives it, with the driver's own size limit applied.</summary>
internal static class MountResponses
{
    /// <summary>
    /// One mount within the provider's budget, answered as the driver receives it: the response (with the
    /// pipeline's result behind it), or an <see cref="RpcException"/> with the status the driver gets.
    /// </summary>
    /// <param name="deadline">The caller's gRPC deadline, when it has one.</param>
    public static async Task<(MountResponse Response, MountResult Result)> AnswerAsync(
        MountPipeline pipeline, MountBudget budget, MountAttributes attributes, string permission, DateTime deadline, ILogger logger, CancellationToken cancellationToken)
    {
        MountResult result;
        using var limit = budget.Start(cancellationToken);
        try
        {
            result = await pipeline.MountAsync(attributes, permission, limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var status = MountErrorMapping.ToStatus(ex, deadline, limit.Spent ? budget.Timeout : null);
            if (status.Detail == MountErrorMapping.UnexpectedDetail)
            {
                Log.MountCrashed(logger, MountRequestParser.Identify(attributes).Describe(), ex.GetType().FullName ?? ex.GetType().Name, ex.StackTrace);
            }

            throw new RpcException(status);
        }

        var response = From(result);
        return TooLarge(response, budget.MaxResponseBytes) is { } exhausted ? throw new RpcException(exhausted) : (response, result);
    }

    public static MountResponse From(MountResult result)
    {
        var response = new MountResponse();
        foreach (var file in result.Files)
        {
            response.Files.Add(new V1Alpha1.File { Path = file.Path, Mode = file.Mode, Contents = ByteString.CopyFrom(file.Contents) });
        }

        foreach (var version in result.Versions)
        {
            response.ObjectVersion.Add(new ObjectVersion { Id = version.Id, Version = version.Version });
        }

        return response;
    }

    /// <summary>
    /// Null when the driver accepts the response. The driver drops larger ones with a bare gRPC size error;
    /// this says which limit and why instead.
    /// </summary>
    public static Status? TooLarge(MountResponse response, long maxBytes)
    {
        var size = response.CalculateSize();
        return size <= maxBytes
            ? null
            : new Status(
                StatusCode.ResourceExhausted,
                $"the {response.Files.Count} files of this mount total {size / 1048576.0:0.0} MiB, above the {maxBytes / 1048576.0:0.#} MiB the CSI driver accepts " +
                "(-max-mount-response-bytes, to match the driver's --max-call-recv-msg-size); split them over several SecretProviderClasses");
    }
}
