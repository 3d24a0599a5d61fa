using System.Net.Sockets;
using Grpc.Net.Client;

namespace Csi.Driver.Emulator;

/// <summary>A channel like the driver's: plaintext HTTP/2 to authority "localhost" over the provider's Unix socket.</summary>
public static class DriverChannel
{
    /// <summary>What the driver accepts by default.</summary>
    public const int MaxResponseBytes = 4 * 1024 * 1024;

    public static GrpcChannel Create(string socketPath) =>
        GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = CreateHandler(socketPath), MaxReceiveMessageSize = MaxResponseBytes });

    /// <summary>Plain HTTP/2 over the socket, for asking it what it serves besides gRPC.</summary>
    public static HttpClient CreateHttpClient(string socketPath) => new(CreateHandler(socketPath))
    {
        DefaultRequestVersion = System.Net.HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    private static SocketsHttpHandler CreateHandler(string socketPath)
    {
        return new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }
}
