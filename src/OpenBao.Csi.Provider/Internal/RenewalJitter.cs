namespace OpenBao.Csi.Provider.Internal;

/// <summary>
/// Spreads renewals and re-issues. Pods mounted together (a node restart, a rollout) get their tokens and
/// leases within a second, and would otherwise all renew or re-issue in the same background pass: a burst on
/// OpenBao, and on the database behind a dynamic secret. Each token or lease draws once how much earlier than
/// the renew fraction it acts, as vault-secrets-operator does; never later, so nothing runs closer to its end.
/// </summary>
internal static class RenewalJitter
{
    /// <summary>At most this share of the renewal point earlier: with 0.67 of the TTL, anywhere from 0.60 on.</summary>
    public const double MaxShareEarlier = 0.1;

    public static double Draw() => Random.Shared.NextDouble() * MaxShareEarlier;

    /// <summary>How far into a grant of <paramref name="granted"/> to renew or re-issue.</summary>
    public static TimeSpan Point(TimeSpan granted, double renewFraction, double shareEarlier) => granted * (renewFraction * (1 - shareEarlier));
}
