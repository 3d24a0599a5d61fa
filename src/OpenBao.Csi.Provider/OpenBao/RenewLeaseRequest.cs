namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>Body of <c>sys/leases/renew</c>; <c>increment</c> in seconds.</summary>
internal sealed record RenewLeaseRequest(string LeaseId, long Increment);
