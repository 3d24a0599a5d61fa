namespace OpenBao.Csi.Provider.Grpc;

/// <summary>
/// The time one Mount may take, retries and logins included (<c>-mount-timeout</c>), and the size its answer
/// may have (<c>-max-mount-response-bytes</c>). The kubelet gives a CSI call 2 minutes; answering before that
/// with the slow step named beats a bare kubelet timeout.
/// </summary>
/// <param name="maxResponseBytes">The driver's gRPC receive limit (its <c>--max-call-recv-msg-size</c>).</param>
internal sealed class MountBudget(TimeSpan timeout, TimeProvider time, long maxResponseBytes = MountBudget.DriverDefaultResponseBytes)
{
    /// <summary>The driver's default <c>--max-call-recv-msg-size</c>.</summary>
    public const int DriverDefaultResponseBytes = 4 * 1024 * 1024;

    public TimeSpan Timeout => timeout;

    public long MaxResponseBytes => maxResponseBytes;

    public Limit Start(CancellationToken callerToken) => new(timeout, time, callerToken);

    internal sealed class Limit : IDisposable
    {
        private readonly CancellationTokenSource _budget;
        private readonly CancellationTokenRegistration _callerGaveUp;

        public Limit(TimeSpan timeout, TimeProvider time, CancellationToken callerToken)
        {
            _budget = new CancellationTokenSource(timeout, time);
            // The caller giving up cancels the budget's own source: one source per mount rather than a linked pair.
            _callerGaveUp = callerToken.UnsafeRegister(static budget => ((CancellationTokenSource)budget!).Cancel(), _budget);
            CallerToken = callerToken;
        }

        public CancellationToken Token => _budget.Token;

        /// <summary>The budget ran out while the caller was still waiting (a shorter gRPC deadline wins).</summary>
        public bool Spent => _budget.IsCancellationRequested && !CallerToken.IsCancellationRequested;

        private CancellationToken CallerToken { get; }

        public void Dispose()
        {
            // Unregistered first, so the caller giving up now cannot cancel a disposed source.
            _callerGaveUp.Dispose();
            _budget.Dispose();
        }
    }
}
