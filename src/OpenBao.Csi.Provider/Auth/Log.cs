using Microsoft.Extensions.Logging;

namespace OpenBao.Csi.Provider.Auth;

internal static partial class Log
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "Logged in to OpenBao as role {Role} on auth mount {AuthMount} for service account {ServiceAccount} (pod {Pod}); token TTL {Ttl}")]
    public static partial void LoggedIn(ILogger logger, string role, string authMount, string serviceAccount, string? pod, TimeSpan ttl);
}
