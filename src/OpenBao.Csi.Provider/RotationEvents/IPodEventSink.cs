namespace OpenBao.Csi.Provider.RotationEvents;

/// <summary>Where pod Events go: the Kubernetes API in production.</summary>
internal interface IPodEventSink
{
    Task CreateAsync(PodEvent podEvent, CancellationToken cancellationToken);

    /// <summary>Raises an existing Event's count and last timestamp, as <c>kubectl describe</c> shows "x5 over 10m".</summary>
    /// <returns>False when the Event no longer exists (expired after the API server's event TTL, or deleted).</returns>
    Task<bool> AggregateAsync(PodEvent podEvent, CancellationToken cancellationToken);
}
