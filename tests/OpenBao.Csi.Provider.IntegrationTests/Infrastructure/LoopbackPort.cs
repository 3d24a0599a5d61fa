using System.Net;
using System.Net.Sockets;

namespace OpenBao.Csi.Provider.IntegrationTests.Infrastructure;

internal static class LoopbackPort
{
    /// <summary>A loopback TCP port free a moment ago, for a provider's health listener.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
