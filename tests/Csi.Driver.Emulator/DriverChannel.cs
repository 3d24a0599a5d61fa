using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;

namespace Csi.Driver.Emulator;

/// <summary>
/// A channel like the driver's: plaintext HTTP/2 to authority "localhost" over the provider's Unix socket, with the
/// driver's service config (pkg/secrets-store/provider_client.go), which makes up to three attempts at a call
/// answered Unavailable.
/// </summary>
public static class DriverChannel
{
    /// <summary>What the driver accepts by default.</summary>
    public const int MaxResponseBytes = 4 * 1024 * 1024;

    private static readonly ServiceConfig DriverServiceConfig = new()
    {
        MethodConfigs =
        {
            new MethodConfig
            {
                Names = { new MethodName { Service = "v1alpha1.CSIDriverProvider" } },
                RetryPolicy = new RetryPolicy
                {
                    MaxAttempts = 3,
                    InitialBackoff = TimeSpan.FromSeconds(1),
                    MaxBackoff = TimeSpan.FromSeconds(10),
                    BackoffMultiplier = 1.1,
                    RetryableStatusCodes = { StatusCode.Unavailable },
                },
            },
        },
    };

    public static GrpcChannel Create(string socketPath) =>
        GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = CreateHandler(socketPath),
            MaxReceiveMessageSize = MaxResponseBytes,
            ServiceConfig = DriverServiceConfig,
        });

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
