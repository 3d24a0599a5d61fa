namespace OpenBao.Emulator.Internal.Tokens;

/// <summary>
/// A login role's <c>token_*</c> fields (OpenBao's <c>tokenutil.TokenParams</c>). Zero means unset:
/// the mount default or maximum for TTLs, no period, no explicit maximum.
/// </summary>
internal sealed record RoleTokenSettings(TimeSpan Ttl, TimeSpan MaxTtl, TimeSpan Period, TimeSpan ExplicitMaxTtl, TokenType Type)
{
    /// <summary>
    /// The checks of <c>ParseTokenFields</c>, in its order and with its messages, so seeding a role
    /// OpenBao would refuse fails the same way.
    /// </summary>
    public static RoleTokenSettings Parse(TimeSpan ttl, TimeSpan maxTtl, TimeSpan period, TimeSpan explicitMaxTtl, string type)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(explicitMaxTtl, TimeSpan.Zero);
        Require(maxTtl >= TimeSpan.Zero, "'token_max_ttl' cannot be negative");
        Require(period >= TimeSpan.Zero, "'token_period' cannot be negative");
        var tokenType = type switch
        {
            "" or "default" or "service" => TokenType.Service,
            "batch" => TokenType.Batch,
            _ => throw new ArgumentException($"invalid 'token_type' value \"{type}\""),
        };
        Require(tokenType != TokenType.Batch || period == TimeSpan.Zero, "'token_type' cannot be 'batch' or 'default_batch' when set to generate periodic tokens");
        Require(ttl >= TimeSpan.Zero, "'token_ttl' cannot be negative");
        Require(!(ttl > TimeSpan.Zero && maxTtl > TimeSpan.Zero && ttl > maxTtl), "'token_ttl' cannot be greater than 'token_max_ttl'");
        return new RoleTokenSettings(ttl, maxTtl, period, explicitMaxTtl, tokenType);
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
