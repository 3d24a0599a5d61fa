namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>OpenBao answered with an error status. <see cref="Errors"/> are OpenBao's own strings, which never carry secret values.</summary>
internal sealed class OpenBaoException(int statusCode, IReadOnlyList<string> errors, string method, string path)
    : OpenBaoCallException($"OpenBao returned {statusCode} for {method} {path}: {FormatReason(errors)}")
{
    public int StatusCode { get; } = statusCode;

    public IReadOnlyList<string> Errors { get; } = errors;

    public string Method { get; } = method;

    public string Path { get; } = path;

    /// <summary>How long OpenBao asked the client to wait (<c>Retry-After</c>, sent with a 429 when rate-limit headers are on).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>OpenBao's error strings on one line.</summary>
    public string Reason => FormatReason(Errors);

    /// <summary>
    /// OpenBao refused the token itself (missing, invalid, expired or revoked): a bare "permission
    /// denied" (Vault also says "invalid token"). Only a policy denial of a valid token comes as a
    /// single wrapped error ("1 error occurred: … permission denied"), and logging in again cannot help it.
    /// </summary>
    public bool IsTokenRefused =>
        StatusCode == 403
        && (Errors.Any(e => e.Contains("invalid token", StringComparison.Ordinal))
            || !Errors.Any(e => e.StartsWith("1 error occurred", StringComparison.Ordinal)));

    /// <summary>
    /// An administrator sealed this OpenBao namespace or locked its API (503, like a sealed server): it stays so until
    /// they undo it, so asking again or asking another cluster would only work around their decision.
    /// </summary>
    public const string NamespaceClosedHint =
        "an OpenBao administrator sealed or locked this namespace; mounts fail until they reopen it, and the failover address is not tried";

    public bool IsNamespaceClosed =>
        StatusCode == 503
        && Errors.Any(e => e.Contains("namespace is sealed", StringComparison.Ordinal)
            || e.Contains("locked by an administrator", StringComparison.Ordinal));

    /// <summary>
    /// A renewal OpenBao will never grant, whatever the status it came with (400, 500, or wrapped in "failed to
    /// renew entry"): past the max TTL, or the auth method or secrets engine found its role gone or changed.
    /// </summary>
    public bool RefusesRenewalForGood => Errors.Any(error =>
        error.Contains("past the max TTL", StringComparison.Ordinal)
        || error.Contains("not renewing", StringComparison.Ordinal)
        || error.Contains("during renewal", StringComparison.Ordinal)
        || error.Contains("could not find role", StringComparison.Ordinal));

    private static string FormatReason(IReadOnlyList<string> errors) =>
        errors.Count == 0 ? "no error detail" : string.Join("; ", errors.Select(Flatten));

    // OpenBao wraps internal errors as "1 error occurred:\n\t* <msg>\n\n"; an operator wants just <msg>.
    private static string Flatten(string error)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var items = lines.Where(l => l.StartsWith("* ", StringComparison.Ordinal)).Select(l => l[2..]).ToList();
        return items.Count > 0 ? string.Join("; ", items) : string.Join(" ", lines);
    }
}
