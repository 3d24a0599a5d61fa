using OpenBao.Emulator.Internal.Http;
using OpenBao.Emulator.Internal.Tokens;

namespace OpenBao.Emulator.Internal.Sys;

/// <summary>The lease endpoints of <c>sys/</c>: renew, revoke and lookup.</summary>
internal sealed class SysBackend(EmulatorContext context) : IBackend
{
    public ApiResult Handle(ApiRequest request, string path)
    {
        var (action, urlLeaseId) = Split(path);
        if (action is not ("leases/renew" or "leases/revoke" or "leases/lookup") || (action == "leases/lookup" && urlLeaseId.Length > 0))
        {
            return ApiResult.UnsupportedPath();
        }

        if (request.Operation != Operation.Update)
        {
            return ApiResult.UnsupportedOperation();
        }

        var leaseId = request.Fields.GetString("lease_id");
        if (leaseId.Length == 0)
        {
            leaseId = urlLeaseId;
        }

        if (leaseId.Length == 0)
        {
            return ApiResult.BadRequest("lease_id must be specified");
        }

        return action switch
        {
            "leases/renew" => Renew(request, leaseId),
            "leases/revoke" => Revoke(leaseId),
            _ => Lookup(leaseId),
        };
    }

    /// <summary>Renew and revoke also take the lease ID in the URL, after the action.</summary>
    private static (string Action, string LeaseId) Split(string path)
    {
        foreach (var action in (string[])["leases/renew", "leases/revoke"])
        {
            if (path.StartsWith(action + "/", StringComparison.Ordinal))
            {
                return (action, path[(action.Length + 1)..]);
            }
        }

        return (path, "");
    }

    private ApiResult Renew(ApiRequest request, string leaseId)
    {
        if (!request.Fields.TryGetDuration("increment", out var increment, out var fieldError))
        {
            return ApiResult.BadRequest(fieldError!);
        }

        if (context.Leases.Find(leaseId) is not { } lease)
        {
            return ApiResult.BadRequest("lease not found");
        }

        var now = context.Time.GetUtcNow();
        lock (lease.Gate)
        {
            if (now >= lease.ExpireTime)
            {
                return ApiResult.BadRequest("lease expired");
            }

            if (!lease.Renewable)
            {
                return ApiResult.BadRequest("lease is not renewable");
            }

            var decision = TtlCalculator.Calculate(now, increment, lease.BackendTtl, lease.BackendMaxTtl, lease.IssueTime);
            if (decision.Error is { } error)
            {
                return ApiResult.BadRequest(error);
            }

            lease.ExpireTime = now + decision.Ttl;
            lease.LastRenewalTime = now;
            return new EnvelopeResult
            {
                LeaseId = lease.Id,
                Renewable = true,
                LeaseDuration = (long)decision.Ttl.TotalSeconds,
                Warnings = decision.Warnings.Count > 0 ? decision.Warnings : null,
            };
        }
    }

    private ApiResult Revoke(string leaseId)
    {
        context.Leases.Revoke(leaseId);
        return ApiResult.NoContent;
    }

    private ApiResult Lookup(string leaseId)
    {
        if (context.Leases.Find(leaseId) is not { } lease)
        {
            return ApiResult.BadRequest("invalid lease");
        }

        var now = context.Time.GetUtcNow();
        lock (lease.Gate)
        {
            var roundedNow = TtlCalculator.RoundToSeconds(now);
            var data = new Dictionary<string, object?>
            {
                ["expire_time"] = lease.ExpireTime,
                ["id"] = lease.Id,
                ["issue_time"] = lease.IssueTime,
                ["last_renewal"] = lease.LastRenewalTime,
                ["path"] = lease.Path,
                ["renewable"] = lease.Renewable && now < lease.ExpireTime,
                ["ttl"] = (long)(lease.ExpireTime - roundedNow).TotalSeconds,
            };
            if (!lease.Namespace.IsRoot)
            {
                data["namespace_path"] = lease.Namespace.Path;
            }

            return new EnvelopeResult { Data = data };
        }
    }
}
