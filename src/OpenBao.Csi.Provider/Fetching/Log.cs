using Microsoft.Extensions.Logging;

namespace OpenBao.Csi.Provider.Fetching;

internal static partial class Log
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Warning, Message = "OpenBao warned about {Request}: {Warnings}")]
    public static partial void OpenBaoWarnings(ILogger logger, string request, string warnings);

    [LoggerMessage(EventId = 601, Level = LogLevel.Debug, Message = "Renewed the lease of {Request} for pod {Namespace}/{Pod}: {Granted} granted")]
    public static partial void LeaseRenewed(ILogger logger, string request, string @namespace, string? pod, TimeSpan granted);

    [LoggerMessage(EventId = 602, Level = LogLevel.Information, Message = "The lease of {Request} for pod {Namespace}/{Pod} reached its max TTL ({Granted} left): the next poll issues a new credential")]
    public static partial void LeaseCapped(ILogger logger, string request, string @namespace, string? pod, TimeSpan granted);

    [LoggerMessage(EventId = 603, Level = LogLevel.Warning, Message = "OpenBao refused to renew the lease of {Request} for pod {Namespace}/{Pod} ({Reason}): the next poll issues a new credential")]
    public static partial void LeaseRenewalRefused(ILogger logger, string request, string @namespace, string? pod, string reason);

    [LoggerMessage(EventId = 604, Level = LogLevel.Warning, Message = "Could not renew the lease of {Request} for pod {Namespace}/{Pod}, will try again: {Reason}")]
    public static partial void LeaseRenewalFailed(ILogger logger, string request, string @namespace, string? pod, string reason);

    [LoggerMessage(EventId = 605, Level = LogLevel.Warning, Message = "The lease of {Request} for pod {Namespace}/{Pod} nears its end and still cannot be renewed ({Reason}): the next poll issues a new credential")]
    public static partial void LeaseRenewalGivenUp(ILogger logger, string request, string @namespace, string? pod, string reason);

    [LoggerMessage(EventId = 606, Level = LogLevel.Warning, Message = "Could not issue a new {Request} for pod {Namespace}/{Pod} ({Reason}): serving the current one while it lives")]
    public static partial void ReissueFailedKeptCurrent(ILogger logger, string request, string @namespace, string? pod, string reason);
}
