using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Grpc.Core;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;

namespace OpenBao.Csi.Provider.Grpc;

/// <summary>
/// Serves a Mount only to the driver: the kernel tells who is on the other end of the Unix socket
/// (<c>SO_PEERCRED</c>), so a loosened socket mode or a mounted socket directory does not let any
/// local process read pods' secrets with a JWT it got hold of.
/// </summary>
internal sealed partial class PeerAuthorization(IReadOnlySet<uint> allowedUids, ILogger<PeerAuthorization> logger)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>The UID of each connection's peer that was allowed; an entry goes with its socket.</summary>
    private readonly ConditionalWeakTable<Socket, object> _allowedConnections = new();

    /// <summary>Our own UID is always allowed: a process running as us could read our memory anyway.</summary>
    public static uint ProcessUid { get; } = getuid();

    public IReadOnlySet<uint> AllowedUids { get; } = new HashSet<uint>(allowedUids) { ProcessUid };

    /// <exception cref="RpcException">PermissionDenied for any other caller, or when the caller cannot be identified.</exception>
    public void Demand(ServerCallContext context)
    {
        var socket = context.GetHttpContext().Features.Get<IConnectionSocketFeature>()?.Socket;
        // The kernel records the peer when it connects, so one look per connection tells what one per call would.
        if (socket is not null && _allowedConnections.TryGetValue(socket, out _))
        {
            return;
        }

        if (socket is not { AddressFamily: AddressFamily.Unix })
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "the caller is not on the provider's Unix socket, so it cannot be identified"));
        }

        Span<byte> credentials = stackalloc byte[12];
        socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials);
        var pid = BinaryPrimitives.ReadInt32LittleEndian(credentials);
        var uid = BinaryPrimitives.ReadUInt32LittleEndian(credentials[4..]);
        if (AllowedUids.Contains(uid))
        {
            _allowedConnections.TryAdd(socket, uid);
            return;
        }

        var allowed = string.Join(",", AllowedUids.Order());
        Log.PeerRefused(logger, uid, pid, allowed);
        throw new RpcException(new Status(
            StatusCode.PermissionDenied,
            $"UID {uid} may not call Mount: only UIDs {allowed} may (the CSI driver runs as 0; widen with -allowed-peer-uids)"));
    }

    [LibraryImport("libc")]
    private static partial uint getuid();
}
