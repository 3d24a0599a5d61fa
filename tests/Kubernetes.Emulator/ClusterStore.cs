using System.Text.Json.Nodes;

namespace Kubernetes.Emulator;

/// <summary>
/// The fake's objects and logs. One lock guards everything: the traffic is tiny, and a single
/// lock is what makes check-then-insert for Secrets atomic across concurrent requests.
/// </summary>
internal sealed class ClusterStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Namespace, string Name), string> _serviceAccountUids = [];
    private readonly Dictionary<(string Namespace, string Name), StoredPod> _pods = [];
    private readonly Dictionary<(string Namespace, string Name), JsonObject> _secrets = [];
    private readonly List<Denial> _denials = [];
    private readonly List<TokenRequestRecord> _tokenRequests = [];
    private readonly List<RequestLogEntry> _requests = [];
    private long _resourceVersion;

    public long NextResourceVersion() => Interlocked.Increment(ref _resourceVersion);

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

    public void PutPod(StoredPod pod)
    {
        lock (_gate)
        {
            _pods[(pod.Namespace, pod.Name)] = pod;
        }
    }

    public StoredPod? FindPod(string @namespace, string name)
    {
        lock (_gate)
        {
            return _pods.GetValueOrDefault((@namespace, name));
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

    public int CountRequests(string method, string pathPrefix)
    {
        lock (_gate)
        {
            return _requests.Count(r =>
                string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase)
                && r.Path.StartsWith(pathPrefix, StringComparison.Ordinal));
        }
    }
}
