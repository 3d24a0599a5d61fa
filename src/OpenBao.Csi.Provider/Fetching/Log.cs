using Microsoft.Extensions.Logging;

namespace OpenBao.Csi.Provider.Fetching;

internal static partial class Log
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Warning, Message = "OpenBao warned about {Request}: {Warnings}")]
    public static partial void OpenBaoWarnings(ILogger logger, string request, string warnings);
}
