using System.Net;
using System.Net.Sockets;

namespace OpenBao.Emulator.Tests;

/// <summary>The Agent-style listener: the same API over a Unix socket.</summary>
public sealed class UnixSocketTests
{
    [Fact]
    public async Task UnixSocket_ServesTheSameApi()
    {
        var socket = Path.Combine(Directory.CreateTempSubdirectory("emulator-uds-").FullName, "agent.sock");
        await using var emulator = await OpenBaoEmulator.StartAsync(new EmulatorOptions { UnixSocketPath = socket });
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await client.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken);
                return new NetworkStream(client, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler);

        var response = await http.GetAsync(new Uri("http://localhost/v1/sys/health"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Uri($"unix://{socket}"), emulator.UnixSocketAddress);
        Assert.Equal(1, emulator.CountRequests("GET", "/v1/sys/health"));
    }
}
