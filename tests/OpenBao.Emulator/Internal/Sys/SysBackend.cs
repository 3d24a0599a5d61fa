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

    /// <summary>
    /// OpenBao's <c>ExpirationManager.Renew</c>. The engine's renew handler runs first and computes the
    /// same TTL from the same inputs, so its failures arrive wrapped in "failed to renew entry".
    /// </summary>
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
        var owner = lease.Owner;
        lock (lease.Gate)
        {
            if (now >= lease.ExpireTime)
            {
                // OpenBao's renewable() skips the expiry check for a batch token's leases, so once the
                // reaper has removed one (at its expiry) the only answer left is that it is gone.
                return ApiResult.BadRequest(lease.OwnedByBatchToken ? "lease not found" : "lease expired");
            }

            if (!lease.Renewable)
            {
                // Under a batch token renewable() lets it through, and the engine itself refuses.
                return ApiResult.BadRequest(lease.OwnedByBatchToken ? FailedToRenew("unsupported operation") : "lease is not renewable");
            }

            var terms = lease.Terms();
            var decision = TtlCalculator.Calculate(now, increment, terms.Ttl, terms.MaxTtl, lease.IssueTime);
            if (decision.Error is { } error)
            {
                return ApiResult.BadRequest(FailedToRenew(error));
            }

            var ttl = decision.Ttl;
            if (lease.OwnedByBatchToken)
            {
                // A batch token's lease may not outlive the token, and needs the token alive to be renewed.
                if (!owner.IsValidAt(now) || owner.ReadExpireTime() is not { } tokenExpiry)
                {
                    return ApiResult.BadRequest("cannot renew lease, no valid associated token");
                }

                if (now + ttl > tokenExpiry)
                {
                    ttl = tokenExpiry - now;
                }
            }

            lease.ExpireTime = now + ttl;
            lease.LastRenewalTime = now;
            lease.RenewCount++;
            return new EnvelopeResult
            {
                LeaseId = lease.Id,
                Renewable = true,
                LeaseDuration = (long)ttl.TotalSeconds,
                Warnings = decision.Warnings.Count > 0 ? decision.Warnings : null,
            };
        }
    }

    /// <summary><c>renewEntry</c>'s wrapping of an engine failure; the engine's response is always nil then.</summary>
    private static string FailedToRenew(string error) => $"failed to renew entry: resp: (*logical.Response)(nil) err: {error}";

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
                // renewable() answers false, without an error, for every lease of a batch token.
                ["renewable"] = lease.Renewable && !lease.OwnedByBatchToken && now < lease.ExpireTime,
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
