namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>What a renewal granted: the new TTL counted from now, and whether it may be renewed again.</summary>
internal readonly record struct RenewalGrant(TimeSpan Ttl, bool Renewable);
