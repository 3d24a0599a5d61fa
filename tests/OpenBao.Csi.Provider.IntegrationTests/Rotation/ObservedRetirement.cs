using System.Collections.Concurrent;
using OpenBao.Csi.Provider.Auth;

namespace OpenBao.Csi.Provider.IntegrationTests.Rotation;

/// <summary>
/// The provider's own token retirement, plus a signal per pod UID when a pod's token is released
/// because the pod is gone, so a test awaits the pod watch's reaction instead of polling for it.
/// </summary>
internal sealed class ObservedRetirement(ITokenRetirement inner) : ITokenRetirement
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _podsGone = new(StringComparer.Ordinal);

    public void Released(CachedToken token, TokenRelease reason)
    {
        inner.Released(token, reason);
        if (reason == TokenRelease.PodGone && token.Key.PodUid is { } uid)
        {
            Signal(uid).TrySetResult();
        }
    }

    public Task PodGoneAsync(string podUid) => Signal(podUid).Task;

    private TaskCompletionSource Signal(string podUid) =>
        _podsGone.GetOrAdd(podUid, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
