using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Pipeline;
using OpenBao.Csi.Provider.V1Alpha1;

namespace OpenBao.Csi.Provider.Grpc;

/// <summary>The driver-facing adapter: protobuf in, pipeline, protobuf or a status code out.</summary>
internal sealed class CsiDriverProviderService(MountPipeline pipeline, ILogger<CsiDriverProviderService> logger)
    : CSIDriverProvider.CSIDriverProviderBase
{
    public const string ApiVersion = "v1alpha1";
    public const string RuntimeName = "openbao-csi-provider";

    public static string RuntimeVersion { get; } = ProviderVersion.Current;

    public override Task<VersionResponse> Version(VersionRequest request, ServerCallContext context) =>
        Task.FromResult(new VersionResponse { Version = ApiVersion, RuntimeName = RuntimeName, RuntimeVersion = RuntimeVersion });

    public override async Task<MountResponse> Mount(MountRequest request, ServerCallContext context)
    {
        MountResult result;
        try
        {
            result = await pipeline.MountAsync(request.Attributes, request.Permission, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var status = MountErrorMapping.ToStatus(ex, context.Deadline);
            if (status.StatusCode == StatusCode.Internal)
            {
                Log.MountCrashed(logger, ex.GetType().FullName ?? ex.GetType().Name, ex.StackTrace);
            }
            else
            {
                Log.MountFailed(logger, status.StatusCode, status.Detail);
            }

            throw new RpcException(status);
        }

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
}
