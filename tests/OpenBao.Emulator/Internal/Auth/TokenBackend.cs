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
            ["explicit_max_ttl"] = 0,
            ["id"] = token.Id,
            ["meta"] = token.Metadata,
            ["num_uses"] = 0,
            ["orphan"] = true,
            ["path"] = token.Path,
            ["policies"] = token.Policies,
            ["ttl"] = 0,
            ["type"] = "service",
        };
        if (!token.Namespace.IsRoot)
        {
            data["namespace_path"] = token.Namespace.Path;
        }

        lock (token.Gate)
        {
            if (token.ExpireTime is { } expiry)
            {
                var roundedNow = TtlCalculator.RoundToSeconds(now);
                data["expire_time"] = expiry;
                data["ttl"] = (long)(expiry - roundedNow).TotalSeconds;
                data["issue_time"] = token.CreationTime;
                data["renewable"] = true;
            }

            if (token.LastRenewalTime is { } renewal)
            {
                data["last_renewal"] = renewal;
                data["last_renewal_time"] = renewal.ToUnixTimeSeconds();
            }
        }

        return new EnvelopeResult { Data = data };
    }

    private ApiResult RenewSelf(ApiRequest request, TokenEntry token)
    {
        if (token.Backend is null)
        {
            // Only the root token lacks a lease.
            return ApiResult.BadRequest("invalid lease ID");
        }

        if (!request.Fields.TryGetDuration("increment", out var increment, out var fieldError))
        {
            return ApiResult.BadRequest(fieldError!);
        }

        if (request.Namespace != token.Namespace)
        {
            return ApiResult.Wrapped(500, "cannot renew a token across namespaces");
        }

        if (token.Backend.RoleTokenTtl(token.RoleName) is not { } roleTtl)
        {
            return ApiResult.Wrapped(500, $"role {token.RoleName} does not exist during renewal");
        }

        var now = context.Time.GetUtcNow();
        var decision = TtlCalculator.Calculate(now, increment, roleTtl, TimeSpan.Zero, token.CreationTime);
        if (decision.Error is { } error)
        {
            return ApiResult.BadRequest(error);
        }

        lock (token.Gate)
        {
            token.ExpireTime = now + decision.Ttl;
            token.LastRenewalTime = now;
        }

        return new EnvelopeResult
        {
            Auth = token.ToAuthBlock(decision.Ttl),
            Warnings = decision.Warnings.Count > 0 ? decision.Warnings : null,
        };
    }

    private static ApiResult RevokeSelf(TokenEntry token)
    {
        TokenStore.Revoke(token);
        return ApiResult.NoContent;
    }
}
