using Microsoft.Extensions.Logging;

namespace OpenBao.Csi.Provider.RotationEvents;

internal static partial class Log
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Posted {Type} Event {Reason} on pod {Namespace}/{Pod} (count {Count})")]
    public static partial void EventPosted(ILogger logger, string type, string reason, string @namespace, string pod, int count);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "Skipped Event {Reason} on pod {Namespace}/{Pod}: its namespace is being deleted")]
    public static partial void EventSkippedNamespaceTerminating(ILogger logger, string reason, string @namespace, string pod);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Could not post Event {Reason} on pod {Namespace}/{Pod}: {Error}")]
    public static partial void EventFailed(ILogger logger, string reason, string @namespace, string pod, string error);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Rotation Events are off: {Why}")]
    public static partial void EventsOff(ILogger logger, string why);
}
