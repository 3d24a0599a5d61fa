using Microsoft.Extensions.Logging;

namespace OpenBao.Csi.Provider.Pipeline;

internal static partial class Log
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Mounted {FileCount} files for pod {Namespace}/{Pod} (SecretProviderClass {SecretProviderClass}, {ReadCount} reads, {ReusedCount} kept dynamic secrets) in {ElapsedMs:0.0} ms")]
    public static partial void Mounted(ILogger logger, string @namespace, string? pod, string? secretProviderClass, int fileCount, int readCount, int reusedCount, double elapsedMs);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "SecretProviderClass {SecretProviderClass} in {Namespace}: {Warning}")]
    public static partial void ConfigurationWarning(ILogger logger, string @namespace, string? secretProviderClass, string warning);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Pod {Namespace}/{Pod}: OpenBao at {Primary} cannot serve ({Reason}); mounting from failover {Failover}")]
    public static partial void FailingOver(ILogger logger, string @namespace, string? pod, string primary, string failover, string reason);
}
