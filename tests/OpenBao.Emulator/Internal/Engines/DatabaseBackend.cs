using System.Security.Cryptography;
using OpenBao.Emulator.Internal.Http;
using OpenBao.Emulator.Internal.Tokens;

namespace OpenBao.Emulator.Internal.Engines;

/// <summary>
/// A database secrets engine without a database: every read of <c>creds/&lt;role&gt;</c> invents a
/// fresh user under a renewable lease bounded by the role's TTLs. OpenBao's database engine has no
/// non-renewable credentials: its secret type always has a renew handler.
/// </summary>
internal sealed class DatabaseBackend(EmulatorContext context) : IBackend
{
    private const string PasswordCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
    private const int PasswordLength = 20;

    private readonly RoleTable<DatabaseRoleSettings> _roles = new();

    public void AddRole(string name, DatabaseRoleSettings settings) => _roles.Add(name, settings);

    public ApiResult Handle(ApiRequest request, string path)
    {
        if (RoleTable<DatabaseRoleSettings>.RoleNameAfter(path, "creds/") is not { } roleName)
        {
            return ApiResult.UnsupportedPath();
        }

        return request.Operation == Operation.Read ? Issue(request, roleName) : ApiResult.UnsupportedOperation();
    }

    private ApiResult Issue(ApiRequest request, string roleName)
    {
        if (_roles.Find(roleName) is not { } role)
        {
            return ApiResult.BadRequest($"unknown role: {roleName}");
        }

        var token = request.Token!;
        var now = context.Time.GetUtcNow();
        var granted = TtlCalculator.Calculate(now, TimeSpan.Zero, role.DefaultTtl, role.MaxTtl, now);

        // The renew handler reads the role again, so a replaced role's TTLs apply to existing leases.
        LeaseTerms CurrentTerms()
        {
            var current = _roles.Find(roleName) ?? role;
            return new LeaseTerms(current.DefaultTtl, current.MaxTtl);
        }

        var lease = context.Leases.Register(request.Namespace, request.Path, granted.Ttl, CurrentTerms, renewable: true, token);

        // OpenBao's default username template: v-<display name>-<role>-<random>-<unix time>.
        var username = $"v-{Truncate(token.DisplayName, 8)}-{Truncate(roleName, 8)}-{Base62.Random(20)}-{now.ToUnixTimeSeconds()}";
        return new EnvelopeResult
        {
            LeaseId = lease.Id,
            Renewable = true,
            LeaseDuration = (long)lease.GrantedTtl.TotalSeconds,
            Data = new Dictionary<string, object?> { ["password"] = NewPassword(), ["username"] = username },
            Warnings = granted.Warnings.Count > 0 ? granted.Warnings : null,
        };
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    /// <summary>OpenBao's default password policy: 20 characters with a lower, an upper, a digit and a dash.</summary>
    private static string NewPassword()
    {
        while (true)
        {
            var candidate = RandomNumberGenerator.GetString(PasswordCharacters, PasswordLength);
            if (candidate.Any(char.IsAsciiLetterLower) && candidate.Any(char.IsAsciiLetterUpper)
                && candidate.Any(char.IsAsciiDigit) && candidate.Contains('-', StringComparison.Ordinal))
            {
                return candidate;
            }
        }
    }
}
