using System.Text.Json;
using OpenBao.Emulator.Internal.Crypto;
using OpenBao.Emulator.Internal.Formatting;
using OpenBao.Emulator.Internal.Http;
using OpenBao.Emulator.Internal.Tokens;

namespace OpenBao.Emulator.Internal.Auth;

/// <summary>
/// The jwt auth method with <c>jwt_validation_pubkeys</c> set to the issuer's key. Unlike kubernetes
/// auth, every validation failure is a 400 carrying the validator's message.
/// </summary>
internal sealed class JwtAuthBackend(EmulatorContext context, string mountPath) : IAuthBackend
{
    private readonly RoleTable<LoginRole<JwtRole>> _roles = new();

    /// <summary>Checks in the order of OpenBao's role handler: token fields, period, then the rest.</summary>
    public void AddRole(string name, JwtRole role)
    {
        var token = RoleTokenSettings.Parse(role.TokenTtl, role.TokenMaxTtl, role.TokenPeriod, role.TokenExplicitMaxTtl, role.TokenType);
        if (token.Period > TtlCalculator.SystemMax)
        {
            throw new ArgumentException(
                $"'period' of '\"{GoDuration.Format(token.Period)}\"' is greater than the backend's maximum lease TTL of '\"{GoDuration.Format(TtlCalculator.SystemMax)}\"'",
                nameof(role));
        }

        if (string.IsNullOrEmpty(role.UserClaim))
        {
            throw new ArgumentException("a user claim must be defined on the role", nameof(role));
        }

        // Role names are a lower-case field in OpenBao's schema.
        _roles.Add(name.ToLowerInvariant(), new LoginRole<JwtRole>(role, token));
    }

    public RoleTokenSettings? TokenSettingsOf(string roleName) => FindRole(roleName)?.Token;

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
        var roleName = request.Fields.GetString("role").ToLowerInvariant();
        if (roleName.Length == 0)
        {
            return ApiResult.BadRequest("missing role");
        }

        if (FindRole(roleName) is not { Role: var role, Token: var tokenSettings })
        {
            return ApiResult.BadRequest($"role \"{roleName}\" could not be found");
        }

        // Checked before the token itself (path_login.go).
        if (role.RoleType == "oidc")
        {
            return ApiResult.BadRequest("role with oidc role_type is not allowed");
        }

        var jwtText = request.Fields.GetString("jwt");
        if (jwtText.Length == 0)
        {
            return ApiResult.BadRequest("missing token");
        }

        if (!SignedJwt.TryParse(jwtText, out var jwt, out var parseError))
        {
            return ApiResult.BadRequest($"error validating token: error verifying token signature: {parseError}");
        }

        if (!context.Issuer.HasSigned(jwt))
        {
            return ApiResult.BadRequest("error validating token: error verifying token signature: no known key successfully validated the token signature");
        }

        var claims = jwt.Claims;
        if (JwtValidator.Validate(claims, role.BoundAudiences, role.BoundSubject, context.Time.GetUtcNow(), allowMissingTimes: false) is { } error)
        {
            return ApiResult.BadRequest($"error validating token: {error}");
        }

        if (role.BoundAudiences.Count == 0 && JwtClaims.Audiences(claims).Count > 0)
        {
            return ApiResult.BadRequest("audience claim found in JWT but no audiences bound to the role");
        }

        // The user claim is a top-level name (OpenBao reads it as a JSON pointer only when told to).
        if (!claims.TryGetProperty(role.UserClaim, out var user) || user.ValueKind == JsonValueKind.Null)
        {
            return ApiResult.BadRequest($"claim \"{role.UserClaim}\" not found in token");
        }

        if (user.ValueKind != JsonValueKind.String)
        {
            return ApiResult.BadRequest($"claim \"{role.UserClaim}\" could not be converted to string");
        }

        if (BoundClaimsError(role, claims) is { } claimsError)
        {
            return ApiResult.BadRequest($"error validating claims: {claimsError}");
        }

        var userName = user.GetString()!;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["role"] = roleName };
        var grant = new TokenGrant(mountPath, this, roleName, role.Policies, tokenSettings, metadata, userName, userName);
        var (token, decision) = context.Tokens.Issue(request.Namespace, grant);
        return new EnvelopeResult { Auth = token.ToAuthBlock(decision.Ttl), Warnings = decision.Warnings.Count > 0 ? decision.Warnings : null };
    }

    private static string? BoundClaimsError(JwtRole role, JsonElement claims)
    {
        foreach (var (claim, expected) in role.BoundClaims ?? new Dictionary<string, string>())
        {
            if (JwtClaims.Get(claims, claim) is not { } actual)
            {
                return $"claim \"{claim}\" is missing";
            }

            if (!JwtClaims.AsStringList(actual).Contains(expected, StringComparer.Ordinal))
            {
                return $"claim \"{claim}\" does not match any associated bound claim values";
            }
        }

        return null;
    }

    private LoginRole<JwtRole>? FindRole(string name) => _roles.Find(name.ToLowerInvariant());
}
