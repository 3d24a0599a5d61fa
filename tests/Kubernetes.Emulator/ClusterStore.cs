using System.Text.Json.Nodes;

namespace Kubernetes.Emulator;

/// <summary>
/// The fake's objects, pod history, open watches and logs. One lock guards everything: the traffic is
/// tiny, and a single lock is what makes check-then-insert for Secrets and Events and an Event patch's
/// read-modify-write atomic across concurrent requests, and lets a new watch's replay meet the live pod
/// changes without a gap or a duplicate.
/// </summary>
internal sealed class ClusterStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Namespace, string Name), string> _serviceAccountUids = [];
    private readonly Dictionary<(string Namespace, string Name), StoredPod> _pods = [];
    private readonly Dictionary<(string Namespace, string Name), JsonObject> _secrets = [];
    private readonly Dictionary<(string Namespace, string Name), JsonObject> _events = [];
    private readonly List<Denial> _denials = [];
    private readonly List<TokenRequestRecord> _tokenRequests = [];
    private readonly List<RequestLogEntry> _requests = [];
    private readonly HashSet<(string Namespace, string Name)> _deletedPods = [];
    private readonly List<PodChange> _podHistory = [];
    private readonly List<PodWatch> _podWatches = [];
    private readonly HashSet<string> _terminatingNamespaces = new(StringComparer.Ordinal);
    private readonly List<PendingRefusal> _refusals = [];
    private readonly Queue<long> _podListsAhead = new();
    private int _watchesCutShort;
    private int _podWatchesAhead;
    private TaskCompletionSource _podWatchesChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _resourceVersionAdvanced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _resourceVersion;

    // Watches from a resourceVersion below this answer 410 Expired: the history after it is all kept.
    private long _compactedResourceVersion;

    /// <summary>One counter for every kind, like etcd's revision, so pod resourceVersions have gaps.</summary>
    public long NextResourceVersion()
    {
        var next = Interlocked.Increment(ref _resourceVersion);
        Interlocked.Exchange(ref _resourceVersionAdvanced, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return next;
    }

    /// <summary>A pod watch from <paramref name="resourceVersion"/> waits for the store to reach it, for at most <paramref name="limit"/> of <paramref name="time"/>.</summary>
    /// <returns>Whether <see cref="CurrentResourceVersion"/> reached <paramref name="resourceVersion"/> in time.</returns>
    public async Task<bool> WaitForPodWatchResourceVersionAsync(long resourceVersion, TimeSpan limit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (CurrentResourceVersion >= resourceVersion)
        {
            return true;
        }

        using var timeout = new CancellationTokenSource(limit, time);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        CountPodWatchAhead(+1);
        try
        {
            while (true)
            {
                // Taken before the check, so an advance between the two is not missed.
                var advanced = Volatile.Read(ref _resourceVersionAdvanced).Task;
                if (CurrentResourceVersion >= resourceVersion)
                {
                    return true;
                }

                try
                {
                    await advanced.WaitAsync(waiting.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    return CurrentResourceVersion >= resourceVersion;
                }
            }
        }
        finally
        {
            CountPodWatchAhead(-1);
        }
    }

    public Task WaitForPodWatchesAheadAsync(int count, CancellationToken cancellationToken) =>
        WaitForPodWatchesAsync(() => _podWatchesAhead == count, cancellationToken);

    private void CountPodWatchAhead(int change)
    {
        lock (_gate)
        {
            _podWatchesAhead += change;
            SignalPodWatchesChangedLocked();
        }
    }

    public long CurrentResourceVersion => Interlocked.Read(ref _resourceVersion);

    public int OpenPodWatchCount
    {
        get
        {
            lock (_gate)
            {
                return _podWatches.Count;
            }
        }
    }

    public void AddServiceAccount(string @namespace, string name)
    {
        lock (_gate)
        {
            _serviceAccountUids.TryAdd((@namespace, name), Guid.NewGuid().ToString());
        }
    }

    public string? FindServiceAccountUid(string @namespace, string name)
    {
        lock (_gate)
        {
            return _serviceAccountUids.GetValueOrDefault((@namespace, name));
        }
    }

    /// <summary>
    /// Creates the pod, or updates it when one of that name and UID exists. Another UID under the name is a
    /// different pod, so that one is deleted first, as a delete and re-create would show on a real cluster.
    /// The pod's resourceVersion is assigned here.
    /// </summary>
    public void PutPod(StoredPod pod)
    {
        lock (_gate)
        {
            var existing = _pods.GetValueOrDefault((pod.Namespace, pod.Name));
            if (existing is not null && existing.Uid != pod.Uid)
            {
                ChangePodLocked(existing, null);
                existing = null;
            }

            ChangePodLocked(existing, pod);
        }
    }

    /// <returns>False when there is no such pod.</returns>
    public bool UpdatePod(string @namespace, string name, Func<StoredPod, StoredPod> update)
    {
        lock (_gate)
        {
            if (!_pods.TryGetValue((@namespace, name), out var existing))
            {
                return false;
            }

            ChangePodLocked(existing, update(existing));
            return true;
        }
    }

    /// <returns>False when there is no such pod.</returns>
    public bool DeletePod(string @namespace, string name)
    {
        lock (_gate)
        {
            if (!_pods.TryGetValue((@namespace, name), out var existing))
            {
                return false;
            }

            ChangePodLocked(existing, null);
            return true;
        }
    }

    public StoredPod? FindPod(string @namespace, string name)
    {
        lock (_gate)
        {
            return _pods.GetValueOrDefault((@namespace, name));
        }
    }

    /// <summary>Whether the last pod of that name was deleted rather than never having existed.</summary>
    public bool WasPodDeleted(string @namespace, string name)
    {
        lock (_gate)
        {
            return _deletedPods.Contains((@namespace, name));
        }
    }

    /// <returns>The pods in key order, and the resourceVersion the list is consistent with.</returns>
    public (IReadOnlyList<StoredPod> Pods, long ResourceVersion) ListPods()
    {
        lock (_gate)
        {
            var ahead = _podListsAhead.TryDequeue(out var by) ? by : 0;
            return (SortedPodsLocked(), CurrentResourceVersion + ahead);
        }
    }

    public void AnswerPodListsAhead(int count, long by)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _podListsAhead.Enqueue(by);
            }
        }
    }

    /// <summary>
    /// Registers <paramref name="watch"/> and queues what it must see first, atomically with respect to
    /// pod changes, so nothing is lost or sent twice between the replay and the live events.
    /// </summary>
    /// <param name="fromResourceVersion">
    /// Null to start with synthetic ADDED events for the current state; otherwise every change after it.
    /// </param>
    /// <param name="compactedResourceVersion">The oldest resourceVersion that could be watched from.</param>
    /// <returns>False, registering nothing, when <paramref name="fromResourceVersion"/> is older than the history.</returns>
    public bool TryOpenPodWatch(PodWatch watch, ulong? fromResourceVersion, out long compactedResourceVersion)
    {
        lock (_gate)
        {
            compactedResourceVersion = _compactedResourceVersion;
            if (fromResourceVersion is { } from)
            {
                if (from < (ulong)_compactedResourceVersion)
                {
                    return false;
                }

                watch.Start(from > long.MaxValue ? long.MaxValue : (long)from);
                foreach (var change in _podHistory)
                {
                    watch.Offer(change);
                }
            }
            else
            {
                watch.Start(CurrentResourceVersion);
                foreach (var pod in SortedPodsLocked())
                {
                    watch.OfferExisting(pod);
                }
            }

            _podWatches.Add(watch);
            SignalPodWatchesChangedLocked();
            return true;
        }
    }

    public void ClosePodWatch(PodWatch watch)
    {
        lock (_gate)
        {
            if (_podWatches.Remove(watch))
            {
                SignalPodWatchesChangedLocked();
            }
        }
    }

    /// <summary>Forgets the history, so watches from any resourceVersion before now get 410 Expired.</summary>
    public void CompactPodHistory()
    {
        lock (_gate)
        {
            _podHistory.Clear();
            _compactedResourceVersion = CurrentResourceVersion;
        }
    }

    /// <summary>A bookmark at the current resourceVersion to every watch that allows them.</summary>
    public void SendPodBookmarks()
    {
        lock (_gate)
        {
            var resourceVersion = CurrentResourceVersion;
            foreach (var watch in _podWatches)
            {
                watch.OfferBookmark(resourceVersion);
            }
        }
    }

    /// <summary>A bookmark at the current resourceVersion to one watch, unless it has closed meanwhile.</summary>
    public void SendPodBookmark(PodWatch watch)
    {
        lock (_gate)
        {
            if (_podWatches.Contains(watch))
            {
                watch.OfferBookmark(CurrentResourceVersion);
            }
        }
    }

    public void SilencePodWatches()
    {
        lock (_gate)
        {
            foreach (var watch in _podWatches)
            {
                watch.Silence();
            }
        }
    }

    public void AbortPodWatches()
    {
        List<PodWatch> open;
        lock (_gate)
        {
            open = [.. _podWatches];
        }

        // Outside the lock: aborting runs Kestrel code, and each handler takes the lock to unregister.
        foreach (var watch in open)
        {
            watch.Abort();
        }
    }

    public Task WaitForOpenPodWatchCountAsync(int count, CancellationToken cancellationToken) =>
        WaitForPodWatchesAsync(() => _podWatches.Count == count, cancellationToken);

    /// <param name="reached">Checked under the lock, after every change to the open or waiting watches.</param>
    private async Task WaitForPodWatchesAsync(Func<bool> reached, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (reached())
                {
                    return;
                }

                changed = _podWatchesChanged.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void PutSecret(string @namespace, string name, JsonObject secret)
    {
        lock (_gate)
        {
            _secrets[(@namespace, name)] = secret;
        }
    }

    /// <returns>False when a Secret of that name already exists; the first writer always wins.</returns>
    public bool TryCreateSecret(string @namespace, string name, JsonObject secret)
    {
        lock (_gate)
        {
            return _secrets.TryAdd((@namespace, name), secret);
        }
    }

    /// <returns>A copy, so callers can serialize or decode it outside the lock.</returns>
    public JsonObject? FindSecret(string @namespace, string name)
    {
        lock (_gate)
        {
            return _secrets.TryGetValue((@namespace, name), out var secret) ? (JsonObject)secret.DeepClone() : null;
        }
    }

    /// <summary>Stores the event at a new resourceVersion, written into its metadata.</summary>
    /// <returns>The stored event, or null when one of that name already exists.</returns>
    public JsonObject? TryCreateEvent(string @namespace, string name, JsonObject @event)
    {
        lock (_gate)
        {
            if (_events.ContainsKey((@namespace, name)))
            {
                return null;
            }

            StampResourceVersionLocked(@event);
            _events[(@namespace, name)] = @event;
            return (JsonObject)@event.DeepClone();
        }
    }

    /// <returns>A copy, so callers can change or serialize it outside the lock.</returns>
    public JsonObject? FindEvent(string @namespace, string name)
    {
        lock (_gate)
        {
            return _events.TryGetValue((@namespace, name), out var @event) ? (JsonObject)@event.DeepClone() : null;
        }
    }

    /// <returns>Copies in key order, and the resourceVersion the list is consistent with.</returns>
    public (IReadOnlyList<JsonObject> Events, long ResourceVersion) ListEvents()
    {
        lock (_gate)
        {
            var events = _events.OrderBy(p => $"{p.Key.Namespace}/{p.Key.Name}", StringComparer.Ordinal)
                .Select(p => (JsonObject)p.Value.DeepClone())
                .ToList();
            return (events, CurrentResourceVersion);
        }
    }

    /// <summary>
    /// Read, change and write one event atomically, as GuaranteedUpdate does. An update that changes nothing
    /// is not written, so the resourceVersion stays, as etcd skips an identical write.
    /// </summary>
    /// <param name="update">Given a copy of the stored event; returns the new one or the failure to answer.</param>
    /// <returns>The stored event, the failure, or neither when there is no such event.</returns>
    public (JsonObject? Stored, ApiResponse? Failure) UpdateEvent(
        string @namespace,
        string name,
        Func<JsonObject, (JsonObject? Next, ApiResponse? Failure)> update)
    {
        lock (_gate)
        {
            if (!_events.TryGetValue((@namespace, name), out var current))
            {
                return (null, null);
            }

            var (next, failure) = update((JsonObject)current.DeepClone());
            if (next is null)
            {
                return (null, failure);
            }

            if (!JsonNode.DeepEquals(next, current))
            {
                StampResourceVersionLocked(next);
                _events[(@namespace, name)] = next;
                current = next;
            }

            return ((JsonObject)current.DeepClone(), null);
        }
    }

    /// <returns>The removed event, or null when there was none. The removal takes a resourceVersion too.</returns>
    public JsonObject? DeleteEvent(string @namespace, string name)
    {
        lock (_gate)
        {
            if (!_events.Remove((@namespace, name), out var removed))
            {
                return null;
            }

            NextResourceVersion();
            return removed;
        }
    }

    public void Deny(Denial denial)
    {
        lock (_gate)
        {
            _denials.Add(denial);
        }
    }

    public void Allow(Denial denial)
    {
        lock (_gate)
        {
            _denials.RemoveAll(d => d == denial);
        }
    }

    public void TerminateNamespace(string @namespace)
    {
        lock (_gate)
        {
            _terminatingNamespaces.Add(@namespace);
        }
    }

    public bool IsTerminating(string @namespace)
    {
        lock (_gate)
        {
            return _terminatingNamespaces.Contains(@namespace);
        }
    }

    public void CutWatchesShort(int count)
    {
        lock (_gate)
        {
            _watchesCutShort += count;
        }
    }

    /// <returns>Whether this watch is one of those to end at once.</returns>
    public bool TryTakeShortWatch()
    {
        lock (_gate)
        {
            if (_watchesCutShort == 0)
            {
                return false;
            }

            _watchesCutShort--;
            return true;
        }
    }

    public void RefuseRequests(PendingRefusal refusal)
    {
        lock (_gate)
        {
            _refusals.Add(refusal);
        }
    }

    /// <summary>Counts one request off the oldest pending refusal of that kind whose prefix it matches.</summary>
    /// <returns>Whether the request is to be refused.</returns>
    public bool TryTakeRefusal(RequestRefusal refusal, string path)
    {
        lock (_gate)
        {
            var index = _refusals.FindIndex(r => r.Matches(refusal, path));
            if (index < 0)
            {
                return false;
            }

            var pending = _refusals[index];
            if (pending.Remaining == 1)
            {
                _refusals.RemoveAt(index);
            }
            else
            {
                _refusals[index] = pending with { Remaining = pending.Remaining - 1 };
            }

            return true;
        }
    }

    public bool IsDenied(string verb, string resource, string @namespace)
    {
        lock (_gate)
        {
            return _denials.Exists(d => d.Matches(verb, resource, @namespace));
        }
    }

    public void RecordTokenRequest(TokenRequestRecord record)
    {
        lock (_gate)
        {
            _tokenRequests.Add(record);
        }
    }

    public IReadOnlyList<TokenRequestRecord> TokenRequests()
    {
        lock (_gate)
        {
            return [.. _tokenRequests];
        }
    }

    public void LogRequest(RequestLogEntry entry)
    {
        lock (_gate)
        {
            _requests.Add(entry);
        }
    }

    public int CountRequests(Func<RequestLogEntry, bool> predicate)
    {
        lock (_gate)
        {
            return _requests.Count(predicate);
        }
    }

    /// <summary>Applies one pod change at a new resourceVersion, records it and hands it to the open watches.</summary>
    /// <param name="next">The pod after the change; null deletes <paramref name="previous"/>.</param>
    private void ChangePodLocked(StoredPod? previous, StoredPod? next)
    {
        var resourceVersion = NextResourceVersion();
        var current = next is null ? null : next with { ResourceVersion = resourceVersion };
        if (current is not null)
        {
            _pods[(current.Namespace, current.Name)] = current;
            _deletedPods.Remove((current.Namespace, current.Name));
        }
        else if (previous is not null)
        {
            _pods.Remove((previous.Namespace, previous.Name));
            _deletedPods.Add((previous.Namespace, previous.Name));
        }

        var change = new PodChange(resourceVersion, current, previous);
        _podHistory.Add(change);
        foreach (var watch in _podWatches)
        {
            watch.Offer(change);
        }
    }

    private void StampResourceVersionLocked(JsonObject stored)
    {
        if (stored["metadata"] is JsonObject metadata)
        {
            metadata["resourceVersion"] = NextResourceVersion().ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private List<StoredPod> SortedPodsLocked() => [.. _pods.Values.OrderBy(p => p.Key, StringComparer.Ordinal)];

    private void SignalPodWatchesChangedLocked()
    {
        var changed = _podWatchesChanged;
        _podWatchesChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.SetResult();
    }
}
