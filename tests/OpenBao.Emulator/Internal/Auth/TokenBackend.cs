using OpenBao.Emulator.Internal.Http;
using OpenBao.Emulator.Internal.Tokens;

namespace OpenBao.Emulator.Internal.Auth;

/// <summary>The self-service part of <c>auth/token/</c>: lookup-self, renew-self, revoke-self.</summary>
internal sealed class TokenBackend(EmulatorContext context) : IBackend
{
    public ApiResult Handle(ApiRequest request, string path)
    {
        var token = request.Token!;
        return (path, request.Operation) switch
        {
            ("lookup-self", Operation.Read) => LookupSelf(token),
            ("renew-self", Operation.Update) => RenewSelf(request, token),
            ("revoke-self", Operation.Update) => RevokeSelf(token),
            ("lookup-self" or "renew-self" or "revoke-self", _) => ApiResult.UnsupportedOperation(),
            _ => ApiResult.UnsupportedPath(),
        };
    }

    /// <summary>OpenBao's <c>handleLookup</c>; the lease times come from the token's lease, or for a batch token from the token itself.</summary>
    private EnvelopeResult LookupSelf(TokenEntry token)
    {
        var now = context.Time.GetUtcNow();
        var data = new Dictionary<string, object?>
        {
            ["accessor"] = token.Accessor,
            ["creation_time"] = token.CreationTime.ToUnixTimeSeconds(),
            ["creation_ttl"] = (long)token.CreationTtl.TotalSeconds,
            ["display_name"] = token.DisplayName,
            ["entity_id"] = token.EntityId,
            ["expire_time"] = null,
            ["explicit_max_ttl"] = (long)token.ExplicitMaxTtl.TotalSeconds,
            ["id"] = token.Id,
            ["meta"] = token.Metadata,
            ["num_uses"] = 0,
            ["orphan"] = true,
            ["path"] = token.Path,
            ["policies"] = token.Policies,
            ["ttl"] = 0,
            ["type"] = token.TypeName,
        };
        if (token.Period > TimeSpan.Zero)
        {
            data["period"] = (long)token.Period.TotalSeconds;
        }

        if (!token.Namespace.IsRoot)
        {
            data["namespace_path"] = token.Namespace.Path;
        }

        lock (token.Gate)
        {
            // The root token has no lease, so none of the lease times.
            if (token.ExpireTime is { } expiry)
            {
                var roundedNow = TtlCalculator.RoundToSeconds(now);
                data["expire_time"] = expiry;
                data["ttl"] = (long)(expiry - roundedNow).TotalSeconds;

                // A batch token's times are decoded from it: creation in whole seconds, never renewable.
                data["issue_time"] = token.Type == TokenType.Batch ? TtlCalculator.TruncateToSeconds(token.CreationTime) : token.CreationTime;
                data["renewable"] = token.Type == TokenType.Service;
            }

            if (token.LastRenewalTime is { } renewal)
            {
                data["last_renewal"] = renewal;
                data["last_renewal_time"] = renewal.ToUnixTimeSeconds();
            }
        }

        return new EnvelopeResult { Data = data };
    }

    /// <summary>
    /// OpenBao's <c>handleRenew</c> and <c>ExpirationManager.RenewToken</c>, in their order. The auth
    /// method re-reads the role, so its current TTL, max TTL and period apply; the max TTL counts from login.
    /// </summary>
    private ApiResult RenewSelf(ApiRequest request, TokenEntry token)
    {
        if (!request.Fields.TryGetDuration("increment", out var increment, out var fieldError))
        {
            return ApiResult.BadRequest(fieldError!);
        }

        if (token.Type == TokenType.Batch)
        {
            return ApiResult.BadRequest("batch tokens cannot be renewed");
        }

        if (request.Namespace != token.Namespace)
        {
            return ApiResult.Wrapped(500, "cannot renew a token across namespaces");
        }

        if (token.Backend is null)
        {
            // Only the root token lacks a lease.
            return ApiResult.BadRequest("invalid lease ID");
        }

        if (token.Backend.TokenSettingsOf(token.RoleName) is not { } role)
        {
            return ApiResult.Wrapped(500, $"failed to renew entry: role {token.RoleName} does not exist during renewal");
        }

        var now = context.Time.GetUtcNow();
        var decision = TtlCalculator.Calculate(now, increment, role.Ttl, role.Period, role.MaxTtl, token.ExplicitMaxTtl, token.CreationTime);
        if (decision.Error is { } error)
        {
            // A plain error from the expiration manager, so OpenBao's core wraps it and answers 500.
            return ApiResult.Wrapped(500, error);
        }

        lock (token.Gate)
        {
            token.ExpireTime = now + decision.Ttl;
            token.LastRenewalTime = now;
            token.RenewalCount++;
        }

        return new EnvelopeResult
        {
            Auth = token.ToAuthBlock(decision.Ttl),
            Warnings = decision.Warnings.Count > 0 ? decision.Warnings : null,
        };
    }

    /// <summary>Revoking a service token revokes its leases too; <see cref="LeaseStore"/> sees that through the token.</summary>
    private ApiResult RevokeSelf(TokenEntry token)
    {
        if (token.Type == TokenType.Batch)
        {
            return ApiResult.BadRequest("batch tokens cannot be revoked");
        }

        token.TryRevoke(context.Time.GetUtcNow(), bySelf: true);
        return ApiResult.NoContent;
    }
}
