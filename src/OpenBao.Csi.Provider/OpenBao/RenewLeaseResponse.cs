namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>The part of a <c>sys/leases/renew</c> answer the provider uses: what was granted.</summary>
internal sealed record RenewLeaseResponse(string? LeaseId, long LeaseDuration, bool Renewable);
