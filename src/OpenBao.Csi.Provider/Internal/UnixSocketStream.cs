using System.Net.Sockets;

namespace OpenBao.Csi.Provider.Internal;

/// <summary>HTTP over a Unix socket: a <c>SocketsHttpHandler.ConnectCallback</c> for OpenBao's unix:// address and the driver's socket.</summary>
internal static class UnixSocketStream
{
    public static async ValueTask<Stream> ConnectAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
