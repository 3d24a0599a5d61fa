using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Auth;

namespace OpenBao.Csi.Provider.Renewal;

internal static partial class Log
{
    [LoggerMessage(EventId = 900, Level = LogLevel.Debug, Message = "Renewed the OpenBao token of role {Role} for pod {Namespace}/{Pod}: {Granted} granted")]
    public static partial void TokenRenewed(ILogger logger, string role, string @namespace, string? pod, TimeSpan granted);

    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "The OpenBao token of role {Role} for pod {Namespace}/{Pod} reached its max TTL ({Granted} left): the next poll logs in again and re-issues its dynamic secrets")]
    public static partial void TokenCapped(ILogger logger, string role, string @namespace, string? pod, TimeSpan granted);

    [LoggerMessage(EventId = 902, Level = LogLevel.Information, Message = "OpenBao would not renew the token of role {Role} for pod {Namespace}/{Pod} ({Reason}): the next poll logs in again")]
    public static partial void TokenRenewalRefused(ILogger logger, string role, string @namespace, string? pod, string reason);

    [LoggerMessage(EventId = 903, Level = LogLevel.Warning, Message = "Could not renew the OpenBao token of role {Role} for pod {Namespace}/{Pod}, will try again: {Reason}")]
    public static partial void TokenRenewalFailed(ILogger logger, string role, string @namespace, string? pod, string reason);

    [LoggerMessage(EventId = 904, Level = LogLevel.Information, Message = "Revoked the OpenBao token of role {Role} for pod {Namespace}/{Pod} and its leases ({Reason})")]
    public static partial void TokenRevoked(ILogger logger, string role, string @namespace, string? pod, TokenRelease reason);

    [LoggerMessage(EventId = 905, Level = LogLevel.Debug, Message = "The OpenBao token of role {Role} for pod {Namespace}/{Pod} was already gone")]
    public static partial void TokenAlreadyGone(ILogger logger, string role, string @namespace, string? pod);

    [LoggerMessage(EventId = 906, Level = LogLevel.Warning, Message = "Could not revoke the OpenBao token of role {Role} for pod {Namespace}/{Pod}; it and its leases end with its TTL: {Reason}")]
    public static partial void TokenRevocationFailed(ILogger logger, string role, string @namespace, string? pod, string reason);

    [LoggerMessage(EventId = 910, Level = LogLevel.Information, Message = "The OpenBao token of role {Role} for pod {Namespace}/{Pod} is a batch token, which OpenBao cannot revoke; it and its leases end with its TTL")]
    public static partial void BatchTokenNotRevocable(ILogger logger, string role, string @namespace, string? pod);

    [LoggerMessage(EventId = 907, Level = LogLevel.Information, Message = "Released {Count} OpenBao tokens no mount asked for in {IdleTimeout}")]
    public static partial void IdleReleased(ILogger logger, int count, TimeSpan idleTimeout);

    [LoggerMessage(EventId = 908, Level = LogLevel.Error, Message = "Renewal pass failed ({Type}): {Reason}")]
    public static partial void RenewalPassFailed(ILogger logger, string type, string reason);

    [LoggerMessage(EventId = 909, Level = LogLevel.Warning, Message = "Shutdown cut {Count} token revocations short; those tokens end with their TTL")]
    public static partial void RevocationsAbandoned(ILogger logger, int count);
}
