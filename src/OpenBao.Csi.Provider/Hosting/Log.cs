using Microsoft.Extensions.Logging;

namespace OpenBao.Csi.Provider.Hosting;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Serving CSIDriverProvider on unix socket {Endpoint} (mode {Mode})")]
    public static partial void Listening(ILogger logger, string endpoint, string mode);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Shutting down: no new mounts, waiting for in-flight ones")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Could not remove socket {Endpoint}: {Reason}")]
    public static partial void SocketNotRemoved(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "No -hmac-key-file and no version key Secret ({Reason}): object versions use a key made for this process, so they change at every restart (the driver records a rotation for every pod) and differ between nodes")]
    public static partial void RandomVersionKey(ILogger logger, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Version key read from {Path}")]
    public static partial void VersionKeyFromFile(ILogger logger, string path);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Kubernetes API: {Source}; provider namespace {Namespace}")]
    public static partial void KubernetesConnected(ILogger logger, string source, string @namespace);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Kubernetes API unavailable ({Reason}): no TokenRequest fallback and no shared version key Secret")]
    public static partial void KubernetesUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "openbao-csi-provider {Version}: OpenBao {Address}, auth mount {AuthMount}, namespace {Namespace}, default audience {Audience}, token cache {CacheSize}")]
    public static partial void Starting(ILogger logger, string version, string address, string authMount, string @namespace, string audience, int cacheSize);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "No pod watch ({Reason}): a pod's OpenBao token and leases are revoked after {IdleTimeout} without a mount instead of when the pod is deleted")]
    public static partial void NoPodWatch(ILogger logger, string reason, TimeSpan idleTimeout);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Socket {Endpoint} was replaced by another process since this one started; left in place")]
    public static partial void SocketReplaced(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Could not notify systemd at NOTIFY_SOCKET {Path}: {Reason}")]
    public static partial void NotifyFailed(ILogger logger, string path, string reason);
}
