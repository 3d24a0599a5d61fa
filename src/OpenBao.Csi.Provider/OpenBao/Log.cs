using Microsoft.Extensions.Logging;

namespace OpenBao.Csi.Provider.OpenBao;

internal static partial class Log
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "TLS verification of OpenBao is disabled (skip-verify); use a CA certificate in production")]
    public static partial void TlsVerificationDisabled(ILogger logger);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "TLS files for OpenBao changed ({Files}); new connections use them")]
    public static partial void TlsFilesReloaded(ILogger logger, string files);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "TLS files for OpenBao changed but cannot be used ({Reason}); keeping the last good ones")]
    public static partial void TlsFilesUnusable(ILogger logger, string reason);
}
