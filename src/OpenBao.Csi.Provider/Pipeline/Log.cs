using Microsoft.Extensions.Logging;

namespace OpenBao.Csi.Provider.Pipeline;

internal static partial class Log
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Mount for pod {PodNamespace}/{Pod} (uid {PodUid}, SecretProviderClass {SecretProviderClass}) {Code}: {ObjectCount} objects, {FileCount} files, {ReadCount} OpenBao reads, {ReusedCount} kept dynamic secrets, {ElapsedMs:0.0} ms")]
    public static partial void Mounted(
        ILogger logger, string podNamespace, string? pod, string? podUid, string? secretProviderClass, string code, int objectCount, int fileCount, int readCount, int reusedCount, double elapsedMs);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "SecretProviderClass {SecretProviderClass} in {PodNamespace}: {Warning}")]
    public static partial void ConfigurationWarning(ILogger logger, string podNamespace, string? secretProviderClass, string warning);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Pod {PodNamespace}/{Pod}: OpenBao at {Primary} cannot serve ({Reason}); mounting from failover {Failover}")]
    public static partial void FailingOver(ILogger logger, string podNamespace, string? pod, string primary, string failover, string reason);
}
