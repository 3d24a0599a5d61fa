namespace Kubernetes.Emulator;

/// <summary>What <see cref="FakeKubernetesApi.RefuseNextRequests"/> still has to refuse.</summary>
/// <param name="PathPrefix">Null matches every path.</param>
internal sealed record PendingRefusal(RequestRefusal Refusal, string? PathPrefix, int Remaining)
{
    public bool Matches(RequestRefusal refusal, string path) =>
        Refusal == refusal && (PathPrefix is null || path.StartsWith(PathPrefix, StringComparison.Ordinal));
}
