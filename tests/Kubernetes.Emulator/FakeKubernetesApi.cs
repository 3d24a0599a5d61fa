using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Kubernetes.Emulator;

/// <summary>
/// An in-process Kubernetes API server, real HTTP on loopback, that serves just what the CSI
/// provider uses: TokenRequest, Secret get/create, core/v1 Event create/get/list/patch/delete, Pod get,
/// and Pod list and watch with the API server's resourceVersion semantics, with its JSON and Status
/// errors, so the real Kubernetes client can be pointed at it through a kubeconfig.
/// </summary>
public sealed class FakeKubernetesApi : IAsyncDisposable
{
    /// <summary>The node <see cref="AddPod"/> schedules pods on unless told otherwise.</summary>
    public const string DefaultNodeName = "node-1";

    private readonly WebApplication _app;
    private readonly ClusterStore _store;
    private readonly ServiceAccountTokenIssuer _issuer;
    private readonly SecretEndpoints _secrets;
    private readonly EventEndpoints _events;
    private readonly FakeKubernetesApiOptions _options;
    private readonly X509Certificate2? _certificate;
    private readonly ConcurrentQueue<string> _serverNamesAsked;
    private CreateRace? _secretCreateRace;

    private FakeKubernetesApi(
        WebApplication app,
        ClusterStore store,
        ServiceAccountTokenIssuer issuer,
        SecretEndpoints secrets,
        EventEndpoints events,
        FakeKubernetesApiOptions options,
        X509Certificate2? certificate,
        string bearerToken,
        ConcurrentQueue<string> serverNamesAsked)
    {
        _app = app;
        _store = store;
        _issuer = issuer;
        _secrets = secrets;
        _events = events;
        _options = options;
        _certificate = certificate;
        BearerToken = bearerToken;
        CertificateAuthorityPem = certificate?.ExportCertificatePem();
        _serverNamesAsked = serverNamesAsked;
    }

    /// <summary>
    /// With <see cref="FakeKubernetesApiOptions.UseHttps"/>: the server name (SNI) each TLS handshake asked for, empty
    /// when the client sent none (as for an IP address), oldest first.
    /// </summary>
    public IReadOnlyList<string> ServerNamesAsked => [.. _serverNamesAsked];

    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:41235/</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>The only bearer token the fake accepts; any other request gets 401 Unauthorized.</summary>
    public string BearerToken { get; }

    /// <summary>PEM of the self-signed serving certificate when started with HTTPS, otherwise null.</summary>
    public string? CertificateAuthorityPem { get; }

    /// <summary>PEM (SubjectPublicKeyInfo) of the key that signs service account tokens.</summary>
    public string TokenSigningPublicKeyPem => _issuer.PublicKeyPem;

    /// <summary>The <c>kid</c> header of issued tokens.</summary>
    public string TokenSigningKeyId => _issuer.KeyId;

    /// <summary>The <c>iss</c> claim of issued tokens.</summary>
    public string Issuer => _issuer.Issuer;

    /// <summary>
    /// Every TokenRequest received, in arrival order, including refused ones, except those turned away before
    /// the handler: without the bearer token, or by <see cref="RefuseNextRequests"/>.
    /// </summary>
    public IReadOnlyList<TokenRequestRecord> TokenRequests => _store.TokenRequests();

    /// <summary>
    /// The next <paramref name="creators"/> Secret creates wait for one another just before their atomic insert,
    /// then all go at once: a race between creators that each saw 404, staged without timing.
    /// </summary>
    public void RaceNextSecretCreates(int creators)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(creators, 1);
        Volatile.Write(ref _secretCreateRace, new CreateRace(creators));
    }

    /// <summary>
    /// The cluster-wide resourceVersion of the latest change to any object, which is what a pod list
    /// reports in <c>metadata.resourceVersion</c>.
    /// </summary>
    public long CurrentResourceVersion => _store.CurrentResourceVersion;

    /// <summary>Watch connections currently streaming; counted before their response headers are sent.</summary>
    public int OpenWatchCount => _store.OpenPodWatchCount;

    public static Task<FakeKubernetesApi> StartAsync() => StartAsync(new FakeKubernetesApiOptions());

    public static async Task<FakeKubernetesApi> StartAsync(FakeKubernetesApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var certificate = options.UseHttps ? SelfSignedCertificate.CreateForLoopback(options.TimeProvider, options.ServerNames) : null;
        var serverNamesAsked = new ConcurrentQueue<string>();
        var store = new ClusterStore();
        var issuer = new ServiceAccountTokenIssuer(options.Issuer);
        var bearerToken = $"fake-{Guid.NewGuid():N}";

        // Empty builder: no configuration sources, no console logging, nothing but Kestrel.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificateSelector = (_, serverName) =>
                        {
                            serverNamesAsked.Enqueue(serverName ?? string.Empty);
                            return certificate;
                        },
                    });
                }
            }));
        var app = builder.Build();

        FakeKubernetesApi? fake = null;
        var secrets = new SecretEndpoints(store, options, () => fake is { _secretCreateRace: { IsOpen: true } race } ? race : null);
        var events = new EventEndpoints(store, options);
        var router = new ApiRouter(
            store,
            bearerToken,
            new TokenRequestEndpoint(store, issuer, options),
            secrets,
            events,
            new PodEndpoint(store, options),
            new PodWatchEndpoint(store, options, app.Lifetime.ApplicationStopping));
        app.Run(router.HandleAsync);

        fake = new FakeKubernetesApi(app, store, issuer, secrets, events, options, certificate, bearerToken, serverNamesAsked);
        try
        {
            await app.StartAsync().ConfigureAwait(false);
            var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
            fake.Address = new Uri(addresses.Addresses.Single());
        }
        catch
        {
            await fake.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return fake;
    }

    /// <summary>
    /// Writes <c>kubeconfig</c> into <paramref name="directory"/>, pointing at <see cref="Address"/>
    /// with <see cref="BearerToken"/> (and the CA under HTTPS), and returns the file's path.
    /// </summary>
    public string WriteKubeconfig(string directory) =>
        KubeconfigWriter.Write(directory, Address, BearerToken, CertificateAuthorityPem, _options.ServerNames.FirstOrDefault());

    public void AddServiceAccount(string @namespace, string name) => _store.AddServiceAccount(@namespace, name);

    /// <summary>
    /// Creates a pod (an ADDED event) running on <paramref name="nodeName"/>, or pending and unscheduled
    /// when it is null. A pod of that name with the same UID is updated instead (MODIFIED); one with another
    /// UID is a different pod, so it is deleted first (DELETED, then ADDED), as a re-created pod would be.
    /// </summary>
    public void AddPod(string @namespace, string name, string uid, string serviceAccountName, string? nodeName = DefaultNodeName)
    {
        // The API server does not tell an empty nodeName from an absent one.
        var node = string.IsNullOrEmpty(nodeName) ? null : nodeName;
        _store.PutPod(new StoredPod(
            @namespace,
            name,
            uid,
            serviceAccountName,
            node,
            node is null ? "Pending" : "Running",
            _options.TimeProvider.GetUtcNow(),
            ResourceVersion: 0));
    }

    /// <summary>Changes <c>status.phase</c> (e.g. <c>Succeeded</c>, <c>Failed</c>): a MODIFIED event.</summary>
    /// <exception cref="InvalidOperationException">There is no such pod.</exception>
    public void SetPodPhase(string @namespace, string name, string phase) =>
        UpdatePod(@namespace, name, pod => pod with { Phase = phase });

    /// <summary>
    /// Binds an unscheduled pod to a node, as the scheduler does, and makes it Running: a MODIFIED event,
    /// which a watch selecting <c>spec.nodeName</c> of that node sees as ADDED.
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no such pod, or it is already bound.</exception>
    public void BindPod(string @namespace, string name, string nodeName) =>
        UpdatePod(@namespace, name, pod => pod.NodeName is null
            ? pod with { NodeName = nodeName, Phase = "Running" }
            : throw new InvalidOperationException($"pod {@namespace}/{name} is already assigned to node {pod.NodeName}"));

    /// <summary>
    /// What a graceful DELETE does first: sets <c>metadata.deletionTimestamp</c> to now plus the grace period
    /// and <c>deletionGracePeriodSeconds</c>, a MODIFIED event. The pod stays until <see cref="DeletePod"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no such pod.</exception>
    public void MarkPodForDeletion(string @namespace, string name, long gracePeriodSeconds = 30) =>
        UpdatePod(@namespace, name, pod => pod with
        {
            DeletionTimestamp = _options.TimeProvider.GetUtcNow().AddSeconds(gracePeriodSeconds),
            DeletionGracePeriodSeconds = gracePeriodSeconds,
        });

    /// <summary>
    /// Removes the pod: a DELETED event carrying its last state at the deletion's new resourceVersion.
    /// From then on a TokenRequest bound to it gets 404, whatever <see cref="FakeKubernetesApiOptions.RequireRegisteredPods"/> says.
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no such pod.</exception>
    public void DeletePod(string @namespace, string name)
    {
        if (!_store.DeletePod(@namespace, name))
        {
            throw NoSuchPod(@namespace, name);
        }
    }

    /// <summary>
    /// Forgets the pod history, like etcd compaction or the watch cache's window moving on: a watch from
    /// any resourceVersion before now gets a 410 Expired ERROR event. Open watches are unaffected.
    /// </summary>
    public void CompactHistory() => _store.CompactPodHistory();

    /// <summary>
    /// Sends a BOOKMARK at <see cref="CurrentResourceVersion"/> now to every open watch that asked for them with
    /// <c>allowWatchBookmarks=true</c>, unless that is not after where the watch started. Like a real server, the
    /// fake also sends them on its own, by <see cref="FakeKubernetesApiOptions.TimeProvider"/>: every minute from
    /// a watch's start and two seconds before its timeout ends it.
    /// </summary>
    public void SendBookmarks() => _store.SendPodBookmarks();

    /// <summary>Aborts every open watch connection without ending its chunked body, as a dropped connection.</summary>
    public void DropWatches() => _store.AbortPodWatches();

    /// <summary>
    /// Every open watch stops sending and never ends, its timeout included, while the connection stays up:
    /// what a client sees when the server's node dies or a NAT forgets the connection without a reset.
    /// Lists and watches opened later, on new connections, answer as before.
    /// </summary>
    public void SilenceWatches() => _store.SilencePodWatches();

    /// <summary>
    /// Completes once <paramref name="count"/> pod watches are waiting for a resourceVersion this server has not reached:
    /// they start once it does, or end with the 504 ResourceVersionTooLarge ERROR event after 3 s of
    /// <see cref="FakeKubernetesApiOptions.TimeProvider"/>, as the watch cache does.
    /// </summary>
    public Task WaitForWatchesAheadAsync(int count, CancellationToken cancellationToken = default) =>
        _store.WaitForPodWatchesAheadAsync(count, cancellationToken);

    /// <summary>Completes once <see cref="OpenWatchCount"/> equals <paramref name="count"/>.</summary>
    public Task WaitForOpenWatchCountAsync(int count, CancellationToken cancellationToken = default) =>
        _store.WaitForOpenPodWatchCountAsync(count, cancellationToken);

    /// <summary>
    /// Marks the namespace as being deleted: the NamespaceLifecycle admission plugin then refuses every create
    /// in it, TokenRequests included (403, cause <c>NamespaceTerminating</c>), after authorization but before
    /// validation, while reads, patches and deletes still work.
    /// </summary>
    public void TerminateNamespace(string @namespace) => _store.TerminateNamespace(@namespace);

    /// <summary>
    /// Refuses <paramref name="verb"/> on <paramref name="resource"/> (RBAC spelling, e.g.
    /// <c>serviceaccounts/token</c>) with 403 Forbidden, in one namespace or, when null, in all.
    /// </summary>
    public void Deny(string verb, string resource, string? @namespace = null) =>
        _store.Deny(new Denial(verb, resource, @namespace));

    /// <summary>
    /// Refuses the next <paramref name="count"/> requests whose path starts with <paramref name="pathPrefix"/>
    /// (any path when null), on every endpoint, watches included, the way <paramref name="refusal"/> says, before
    /// authorization and before any body is read, so a refused create stores nothing. Requests that are not
    /// refused are served as usual; refusals added by several calls are used up oldest first.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative, or <paramref name="refusal"/> is not defined.</exception>
    public void RefuseNextRequests(int count, RequestRefusal refusal, string? pathPrefix = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!Enum.IsDefined(refusal))
        {
            throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "not a RequestRefusal");
        }

        if (count > 0)
        {
            _store.RefuseRequests(new PendingRefusal(refusal, pathPrefix, count));
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> pod watches are answered 200 and end at once without an event, as a proxy or
    /// load balancer in front of the API server that cuts long requests short does.
    /// </summary>
    public void CutNextWatchesShort(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        _store.CutWatchesShort(count);
    }

    /// <summary>
    /// The next <paramref name="count"/> pod lists are answered as another API server of the cluster would answer them:
    /// the same pods, at a resourceVersion <paramref name="by"/> ahead, since resourceVersions count changes of every
    /// kind and that server has seen more of them. A watch here from such a resourceVersion ends with the 504
    /// ResourceVersionTooLarge ERROR event, as a watch cache that lags the list's server does.
    /// </summary>
    public void AnswerNextPodListsAhead(int count, long by)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(by);
        _store.AnswerPodListsAhead(count, by);
    }

    /// <summary>Lifts a denial made by <see cref="Deny"/> with the same arguments.</summary>
    public void Allow(string verb, string resource, string? @namespace = null) =>
        _store.Allow(new Denial(verb, resource, @namespace));

    /// <summary>Stores (or replaces) a Secret directly, bypassing denials and the create delay.</summary>
    public void AddSecret(string @namespace, string name, IReadOnlyDictionary<string, byte[]> data, bool immutable = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        _store.PutSecret(@namespace, name, _secrets.BuildSeed(@namespace, name, data, immutable));
    }

    public IReadOnlyDictionary<string, byte[]>? GetSecretData(string @namespace, string name) =>
        _store.FindSecret(@namespace, name) is { } secret ? SecretEndpoints.DecodeStoredData(secret) : null;

    /// <summary>The whole stored Secret (type, immutability, labels, annotations), or null.</summary>
    public SecretRecord? GetSecret(string @namespace, string name) =>
        _store.FindSecret(@namespace, name) is { } secret ? SecretEndpoints.ToRecord(secret) : null;

    /// <summary>
    /// The stored core/v1 Events of one namespace, or of all when null, in the order a list returns them
    /// (namespace, then name).
    /// </summary>
    public IReadOnlyList<EventRecord> Events(string? @namespace = null) => _events.Records(@namespace);

    public EventRecord? GetEvent(string @namespace, string name) =>
        _store.FindEvent(@namespace, name) is { } stored ? EventJson.ToRecord(stored) : null;

    /// <summary>
    /// Event requests received with this RBAC verb (<c>create</c>, <c>get</c>, <c>list</c>, <c>patch</c>,
    /// <c>delete</c>, ...), refused ones included, in one namespace or, when null, anywhere. A watch counts as a list.
    /// </summary>
    public int CountEventRequests(string verb, string? @namespace = null) =>
        _store.CountRequests(r =>
            r.CoreVerb("events") is { } request
            && request.Verb == verb
            && (@namespace is null || request.Namespace == @namespace));

    /// <summary>Requests received with this method (any case) whose path starts with <paramref name="pathPrefix"/>.</summary>
    public int CountRequests(string method, string pathPrefix) =>
        _store.CountRequests(r =>
            string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase)
            && r.Path.StartsWith(pathPrefix, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _issuer.Dispose();
            _certificate?.Dispose();
        }
    }

    private static InvalidOperationException NoSuchPod(string @namespace, string name) =>
        new($"pod {@namespace}/{name} does not exist");

    private void UpdatePod(string @namespace, string name, Func<StoredPod, StoredPod> update)
    {
        if (!_store.UpdatePod(@namespace, name, update))
        {
            throw NoSuchPod(@namespace, name);
        }
    }
}
