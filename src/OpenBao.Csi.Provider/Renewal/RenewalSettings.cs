namespace OpenBao.Csi.Provider.Renewal;

/// <summary>How the provider keeps tokens and leases alive and when it lets them go.</summary>
/// <param name="Interval">How often the background pass runs; infinite turns the loop off (tests drive passes themselves).</param>
/// <param name="IdleTimeout">Without a pod watch, a token no mount asked for in this long is released.</param>
/// <param name="PodWatch">True when the node's pods are watched, so liveness comes from the Kubernetes API instead of idleness.</param>
internal sealed record RenewalSettings(TimeSpan Interval, TimeSpan IdleTimeout, bool PodWatch);
