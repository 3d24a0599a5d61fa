using System.Net.Security;
using System.Net.Sockets;

namespace OpenBao.Csi.Provider.Internal;

/// <summary>
/// Connections that ask for a configured TLS server name (SNI) while the Host header keeps the URL's host, as Go's
/// clients send <c>tls-server-name</c>. SocketsHttpHandler takes the server name from the Host header and overwrites
/// <c>SslOptions.TargetHost</c> (dotnet/runtime#126842), so the connection is made here instead.
/// </summary>
internal static class ServerNameConnection
{
    /// <param name="tls">The handler's own TLS options: client certificate and certificate check.</param>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Callback(string serverName, SslClientAuthenticationOptions tls) =>
        (context, cancellationToken) => ConnectAsync(context, serverName, tls, cancellationToken);

    private static async ValueTask<Stream> ConnectAsync(
        SocketsHttpConnectionContext context, string serverName, SslClientAuthenticationOptions tls, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            var network = new NetworkStream(socket, ownsSocket: true);
            // A redirect may lead from http to https or back; only https connections carry TLS. A connection to a proxy
            // (HTTPS_PROXY) is left to the handler, which tunnels through it and makes TLS with the URL's host.
            if (context.InitialRequestMessage.RequestUri is not { Scheme: "https" } target
                || !string.Equals(target.IdnHost.Trim('[', ']'), context.DnsEndPoint.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)
                || target.Port != context.DnsEndPoint.Port)
            {
                return network;
            }

            // The handler uses a returned SslStream as it is instead of wrapping it in TLS again.
            var stream = new SslStream(network);
            await stream.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = serverName,
                    ClientCertificates = tls.ClientCertificates,
                    ClientCertificateContext = tls.ClientCertificateContext,
                    RemoteCertificateValidationCallback = tls.RemoteCertificateValidationCallback,
                    ApplicationProtocols = [SslApplicationProtocol.Http11],
                },
                cancellationToken).ConfigureAwait(false);
            return stream;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
