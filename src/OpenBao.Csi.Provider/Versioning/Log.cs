using Microsoft.Extensions.Logging;

namespace OpenBao.Csi.Provider.Versioning;

internal static partial class Log
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Version key read from Secret {Namespace}/{Name}")]
    public static partial void VersionKeyRead(ILogger logger, string @namespace, string name);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Version key Secret {Namespace}/{Name} created")]
    public static partial void VersionKeyCreated(ILogger logger, string @namespace, string name);

    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "Version key Secret {Namespace}/{Name} was created by another provider pod first; using its key")]
    public static partial void VersionKeyRaceLost(ILogger logger, string @namespace, string name);
}
