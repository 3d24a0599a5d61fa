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

internal enum EventResult
{
    Created,
    Aggregated,
    Skipped,
    Failed,
    Dropped,
}

internal enum PodWatchInterruption
{
    Silent,
    Expired,
    Failed,
}

internal static class OutcomeLabels
{
    public static string Label(this LeaseOutcome outcome) => outcome switch
    {
        LeaseOutcome.Renewed => "renewed",
        LeaseOutcome.Reissued => "reissued",
        _ => "revoked",
    };

    public static string Label(this EventResult result) => result switch
    {
        EventResult.Created => "created",
        EventResult.Aggregated => "aggregated",
        EventResult.Skipped => "skipped",
        EventResult.Failed => "failed",
        _ => "dropped",
    };

    public static string Label(this PodWatchInterruption reason) => reason switch
    {
        PodWatchInterruption.Silent => "silent",
        PodWatchInterruption.Expired => "expired",
        _ => "failed",
    };

    public static string Label(this TokenOutcome outcome) => outcome switch
    {
        TokenOutcome.LoggedIn => "logged_in",
        TokenOutcome.Renewed => "renewed",
        _ => "revoked",
    };
}
