namespace OpenBao.Csi.Provider.Grpc;

/// <summary>
/// The time one Mount may take, retries and logins included (<c>-mount-timeout</c>). The kubelet gives a
/// CSI call 2 minutes; answering before that with the slow step named beats a bare kubelet timeout.
/// </summary>
internal sealed class MountBudget(TimeSpan timeout, TimeProvider time)
{
    public TimeSpan Timeout => timeout;

    public Limit Start(CancellationToken callerToken) => new(timeout, time, callerToken);

    internal sealed class Limit : IDisposable
    {
        private readonly CancellationTokenSource _budget;
        private readonly CancellationTokenSource _linked;

        public Limit(TimeSpan timeout, TimeProvider time, CancellationToken callerToken)
        {
            _budget = new CancellationTokenSource(timeout, time);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(_budget.Token, callerToken);
            CallerToken = callerToken;
        }

        public CancellationToken Token => _linked.Token;

        /// <summary>The budget ran out while the caller was still waiting (a shorter gRPC deadline wins).</summary>
        public bool Spent => _budget.IsCancellationRequested && !CallerToken.IsCancellationRequested;

        private CancellationToken CallerToken { get; }

        public void Dispose()
        {
            _linked.Dispose();
            _budget.Dispose();
        }
    }
}
