using OpenBao.Csi.Provider.Internal;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using OpenBao.Csi.Provider.Grpc;
using OpenBao.Csi.Provider.V1Alpha1;

namespace OpenBao.Csi.Provider.Shell;

/// <summary>A running provider, dialled as the driver dials it: plaintext HTTP/2 to authority "localhost" over its Unix socket.</summary>
internal sealed class SocketMountTransport : IMountTransport
{
    private readonly GrpcChannel _channel;
    private readonly CSIDriverProvider.CSIDriverProviderClient _client;
    private readonly string _socketPath;

    public SocketMountTransport(string socketPath)
    {
        _socketPath = socketPath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (_, cancellationToken) => UnixSocketStream.ConnectAsync(socketPath, cancellationToken),
        };
        _channel = GrpcChannel.ForAddress(
            "http://localhost",
            new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true, MaxReceiveMessageSize = null });
        _client = new CSIDriverProvider.CSIDriverProviderClient(_channel);
    }

    public async Task<MountResponse> MountAsync(MountRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.MountAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable && ex.Status.DebugException is HttpRequestException connect)
        {
            // The client's own message names "localhost:80"; the operator needs the socket it could not reach.
            var reason = System.IO.File.Exists(_socketPath) ? connect.InnerException?.Message ?? connect.Message : "nothing is there";
            throw new RpcException(new Status(StatusCode.Unavailable, $"no provider answers on {_socketPath}: {reason}"));
        }
    }

    public ValueTask DisposeAsync()
    {
        _channel.Dispose();
        return ValueTask.CompletedTask;
    }
}
