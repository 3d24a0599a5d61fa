using Microsoft.Extensions.Logging;

namespace OpenBao.Csi.Provider.KubernetesApi;

internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "Listed {Count} running pods on node {Node}; released the tokens of {Released} pods that are gone")]
    public static partial void PodsListed(ILogger logger, string node, int count, int released);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Pod {Namespace}/{Pod} is gone ({Why}): releasing its {Count} OpenBao tokens")]
    public static partial void PodGone(ILogger logger, string @namespace, string pod, string why, int count);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Pod watch on node {Node} interrupted ({Reason}); {Next} in {Backoff}")]
    public static partial void PodWatchFailed(ILogger logger, string node, string reason, string next, TimeSpan backoff);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Pod watch on node {Node} sent no event or bookmark for {Silence} (a cluster where nothing changes, or a connection that died without a reset); {Next} in {Backoff}")]
    public static partial void PodWatchSilent(ILogger logger, string node, TimeSpan silence, string next, TimeSpan backoff);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Trace, Message = "Pod watch on node {Node} is current to resourceVersion {ResourceVersion} (a bookmark)")]
    public static partial void PodWatchBookmark(ILogger logger, string node, string? resourceVersion);
}
