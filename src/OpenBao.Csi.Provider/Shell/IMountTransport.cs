using OpenBao.Csi.Provider.V1Alpha1;

namespace OpenBao.Csi.Provider.Shell;

/// <summary>Where <c>mount</c> sends its request: a running provider's socket, or the pipeline in this process.</summary>
internal interface IMountTransport : IAsyncDisposable
{
    /// <exception cref="Grpc.Core.RpcException">The mount failed, with the status the driver would see.</exception>
    Task<MountResponse> MountAsync(MountRequest request, CancellationToken cancellationToken);
}
