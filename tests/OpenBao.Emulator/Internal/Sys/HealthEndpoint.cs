using System.Globalization;
using Microsoft.AspNetCore.Http;
using OpenBao.Emulator.Internal.Http;

namespace OpenBao.Emulator.Internal.Sys;

/// <summary><c>GET /v1/sys/health</c>: answered before seal and namespace handling, status codes overridable by query.</summary>
internal sealed class HealthEndpoint(TimeProvider time)
{
    public const string Version = "2.6.2";

    private readonly string _clusterName = "vault-cluster-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _clusterId = Guid.NewGuid().ToString();

    public ApiResult Handle(IQueryCollection query, bool isSealed)
    {
        if (!TryStatus(query, "sealedcode", 503, out var sealedCode) || !TryStatus(query, "activecode", 200, out var activeCode)
            || !TryStatus(query, "standbycode", 429, out _) || !TryStatus(query, "uninitcode", 501, out _))
        {
            return new ErrorResult(400, []);
        }

        List<KeyValuePair<string, object?>> body =
        [
            new("initialized", true),
            new("sealed", isSealed),
            new("standby", false),
            new("replication_performance_mode", "disabled"),
            new("replication_dr_mode", "disabled"),
            new("server_time_utc", time.GetUtcNow().ToUnixTimeSeconds()),
            new("version", Version),
        ];
        if (!isSealed)
        {
            body.Add(new("cluster_name", _clusterName));
            body.Add(new("cluster_id", _clusterId));
        }

        return new PlainJsonResult(isSealed ? sealedCode : activeCode, body);
    }

    private static bool TryStatus(IQueryCollection query, string name, int fallback, out int status)
    {
        status = fallback;
        return !query.TryGetValue(name, out var values)
            || int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out status);
    }
}
