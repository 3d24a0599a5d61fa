using OpenBao.Emulator.Internal.Crypto;
using OpenBao.Emulator.Internal.Formatting;
using OpenBao.Emulator.Internal.Http;
using OpenBao.Emulator.Internal.Tokens;

namespace OpenBao.Emulator.Internal.Auth;

/// <summary>
/// The kubernetes auth method as most clusters configure it (no <c>pem_keys</c>): the JWT's claims are read
/// without checking its signature, then a TokenReview asks the cluster whether it issued the token. The cluster
/// is the emulator's issuer plus any key trusted with <see cref="OpenBaoEmulator.TrustKubernetesSigningKey"/>.
/// Checks run in OpenBao's order (path_login.go): fields, role, audience, times, service account, namespace, UID,
/// TokenReview.
/// </summary>
internal sealed class KubernetesAuthBackend(EmulatorContext context, string mountPath) : IAuthBackend
{
    // The kubernetes auth method stores and looks up roles lowercased (backend.go, path_role.go).
    private readonly RoleTable<LoginRole<KubernetesRole>> _roles = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Checks in the order of OpenBao's role handler: token fields, period, bound lists.</summary>
    public void AddRole(string name, KubernetesRole role)
    {
        var token = RoleTokenSettings.Parse(role.TokenTtl, role.TokenMaxTtl, role.TokenPeriod, role.TokenExplicitMaxTtl, role.TokenType);
        if (token.Period > TtlCalculator.SystemMax)
        {
            throw new ArgumentException(
                $"token period of '\"{GoDuration.Format(token.Period)}\"' is greater than the backend's maximum lease TTL of '\"{GoDuration.Format(TtlCalculator.SystemMax)}\"'",
                nameof(role));
        }

        if (role.BoundServiceAccountNames.Count == 0)
        {
            throw new ArgumentException("\"bound_service_account_names\" can not be empty", nameof(role));
        }

        if (role.BoundServiceAccountNamespaces.Count == 0)
        {
            throw new ArgumentException("\"bound_service_account_namespaces\" can not be empty", nameof(role));
        }

        _roles.Add(name, new LoginRole<KubernetesRole>(role, token));
    }

    public RoleTokenSettings? TokenSettingsOf(string roleName) => _roles.Find(roleName)?.Token;

    public ApiResult Handle(ApiRequest request, string path)
    {
        if (path != "login")
        {
            return ApiResult.UnsupportedPath();
        }

        return request.Operation == Operation.Update ? Login(request) : ApiResult.UnsupportedOperation();
    }

    private ApiResult Login(ApiRequest request)
    {
        var roleName = request.Fields.GetString("role");
        if (roleName.Length == 0)
        {
            return ApiResult.BadRequest("missing role");
        }

        var jwtText = request.Fields.GetString("jwt");
        if (jwtText.Length == 0)
        {
            return ApiResult.BadRequest("missing jwt");
        }

        if (_roles.Find(roleName) is not { Role: var role, Token: var tokenSettings })
        {
            return ApiResult.BadRequest($"invalid role name \"{roleName}\"");
        }

        // Unverified parsing fails only for a token that is not a JWT, which OpenBao reports as a signature failure.
        if (!SignedJwt.TryParse(jwtText, out var jwt, out _))
        {
            return ApiResult.InvalidToken();
        }

        var claims = jwt.Claims;
        string[] audiences = role.Audience is { Length: > 0 } audience ? [audience] : [];
        if (JwtValidator.Validate(claims, audiences, expectedSubject: null, context.Time.GetUtcNow(), allowMissingTimes: true) is { } error)
        {
            return ApiResult.Error(403, error);
        }

        var serviceAccount = JwtClaims.GetString(claims, "/kubernetes.io/serviceaccount/name");
        var serviceAccountNamespace = JwtClaims.GetString(claims, "/kubernetes.io/namespace");
        var uid = JwtClaims.GetString(claims, "/kubernetes.io/serviceaccount/uid");
        if (!IsWildcard(role.BoundServiceAccountNames) && !Glob.AnyMatches(role.BoundServiceAccountNames, serviceAccount))
        {
            return ApiResult.Error(403, "service account name not authorized");
        }

        if (!IsWildcard(role.BoundServiceAccountNamespaces) && !Glob.AnyMatches(role.BoundServiceAccountNamespaces, serviceAccountNamespace))
        {
            return ApiResult.Error(403, "namespace not authorized");
        }

        if (uid.Length == 0)
        {
            return ApiResult.Error(500, "could not parse UID from claims");
        }

        // Any failed TokenReview, the cluster's "not authenticated" or OpenBao unable to ask (the reviewer lacks
        // system:auth-delegator, the API server is unreachable), is the same bare permission denied.
        if (context.TokenReviewsFail || !(context.Issuer.HasSigned(jwt) || context.TrustedKeys.HaveSigned(jwt)))
        {
            return ApiResult.InvalidToken();
        }

        // OpenBao's TokenReview then asks for the role's audience, or for the token's own audiences when the role
        // has none (path_login.go, lookup), which the API server confirms for any token it issued: a role
        // without an audience accepts a service-account token for any audience.
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["role"] = roleName,
            ["service_account_name"] = serviceAccount,
            ["service_account_namespace"] = serviceAccountNamespace,
            ["service_account_secret_name"] = "",
            ["service_account_uid"] = uid,
        };
        var grant = new TokenGrant(mountPath, this, roleName, role.Policies, tokenSettings, metadata, $"{serviceAccountNamespace}-{serviceAccount}", uid);
        var (token, decision) = context.Tokens.Issue(request.Namespace, grant);
        return new EnvelopeResult { Auth = token.ToAuthBlock(decision.Ttl), Warnings = decision.Warnings.Count > 0 ? decision.Warnings : null };
    }

    private static bool IsWildcard(IReadOnlyList<string> bound) => bound is ["*"];
}
