using Microsoft.Extensions.Logging;

namespace OpenBao.Csi.Provider.OpenBao;

internal static partial class Log
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "TLS verification of OpenBao is disabled (skip-verify); use a CA certificate in production")]
    public static partial void TlsVerificationDisabled(ILogger logger);
}
