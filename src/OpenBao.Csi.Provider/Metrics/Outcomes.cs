namespace OpenBao.Csi.Provider.Metrics;

internal enum LeaseOutcome
{
    Renewed,
    Reissued,
    Revoked,
}

internal enum TokenOutcome
{
    LoggedIn,
    Renewed,
    Revoked,
}

internal static class OutcomeLabels
{
    public static string Label(this LeaseOutcome outcome) => outcome switch
    {
        LeaseOutcome.Renewed => "renewed",
        LeaseOutcome.Reissued => "reissued",
        _ => "revoked",
    };

    public static string Label(this TokenOutcome outcome) => outcome switch
    {
        TokenOutcome.LoggedIn => "logged_in",
        TokenOutcome.Renewed => "renewed",
        _ => "revoked",
    };
}
