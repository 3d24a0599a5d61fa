using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace OpenBao.Csi.Provider.Grpc;

internal static partial class Log
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Mount for pod {PodNamespace}/{Pod} (uid {PodUid}, SecretProviderClass {SecretProviderClass}) failed with {Code} after {ElapsedMs:0.0} ms: {Detail}")]
    public static partial void MountFailed(ILogger logger, string? podNamespace, string? pod, string? podUid, string? secretProviderClass, StatusCode code, double elapsedMs, string detail);

    // Only the type and stack: an unexpected exception's message is not ours and could quote anything.
    [LoggerMessage(EventId = 401, Level = LogLevel.Error, Message = "Mount for pod {Pod} failed unexpectedly with {ExceptionType} at {StackTrace}")]
    public static partial void MountCrashed(ILogger logger, string pod, string exceptionType, string? stackTrace);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "Refused a Mount from UID {Uid} (PID {Pid}): only UIDs {Allowed} may call; widen with -allowed-peer-uids if this caller is the CSI driver")]
    public static partial void PeerRefused(ILogger logger, uint uid, int pid, string allowed);
}
