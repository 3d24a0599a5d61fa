namespace OpenBao.Csi.Provider.Pipeline;

/// <summary>A mount gave up (its budget or the caller's deadline) while waiting for <see cref="Step"/>.</summary>
internal sealed class MountStepCancelledException(string step, OperationCanceledException inner)
    : OperationCanceledException($"gave up while {step}", inner, inner.CancellationToken)
{
    /// <summary>What the mount was waiting for, with the path or address involved; never a secret.</summary>
    public string Step { get; } = step;

    /// <summary>Runs one stage of a mount, naming it if the mount's cancellation stops the wait.</summary>
    public static async Task<T> NameAsync<T>(Task<T> stage, Func<string> step, CancellationToken cancellationToken)
    {
        try
        {
            return await stage.ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (StopsUnnamed(ex, cancellationToken))
        {
            throw new MountStepCancelledException(step(), ex);
        }
    }

    /// <summary>Whether <paramref name="cancelled"/> is the mount giving up and no inner step has named it yet.</summary>
    public static bool StopsUnnamed(OperationCanceledException cancelled, CancellationToken mountToken) =>
        mountToken.IsCancellationRequested && cancelled is not MountStepCancelledException;
}
