using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OpenBao.Emulator.Internal;
using OpenBao.Emulator.Internal.Auth;
using OpenBao.Emulator.Internal.Crypto;
using OpenBao.Emulator.Internal.Engines;
using OpenBao.Emulator.Internal.Http;
using OpenBao.Emulator.Internal.Namespaces;
using OpenBao.Emulator.Internal.Sys;
using OpenBao.Emulator.Internal.Tokens;

namespace OpenBao.Emulator;

/// <summary>
/// An in-process HTTP server that answers OpenBao's API (bodies, status codes, error strings) for
/// the parts the CSI provider uses. Seed it through the methods below, then point a client at
/// <see cref="Address"/>. Every method that takes <c>ns</c> treats null or empty as the root namespace.
/// </summary>
public sealed class OpenBaoEmulator : IAsyncDisposable
{
    private readonly EmulatorContext _context;
    private readonly NamespaceRegistry _namespaces;
    private readonly ServerState _state = new();
    private readonly FaultInjector _faults = new();
    private readonly RequestLog _log = new();
    private readonly LatencyLine _latency = new();
    private readonly TokenEntry _rootToken;
    private readonly ConcurrentQueue<string> _serverNamesAsked = new();
    private readonly ConcurrentQueue<string> _hostsAsked = new();
    private EmulatorServer? _server;

    private OpenBaoEmulator(EmulatorOptions options)
    {
        _context = new EmulatorContext(options.TimeProvider, options.Issuer ?? ServiceAccountTokenIssuer.Shared(options.TimeProvider));
        _namespaces = new NamespaceRegistry(ns =>
        {
            ns.Mounts.Add("sys/", new SysBackend(_context));
            ns.Mounts.Add("auth/token/", new TokenBackend(_context));
        });
        _rootToken = _context.Tokens.CreateRoot(_namespaces.Root);
    }

    public Uri Address => Server.Address;

    /// <summary><c>unix:///path</c> when <see cref="EmulatorOptions.UnixSocketPath"/> was given, else null.</summary>
    public Uri? UnixSocketAddress { get; private set; }

    /// <summary>With <see cref="EmulatorOptions.UseTls"/>, the PEM of the CA that signed the server certificate.</summary>
    public string? CaCertificatePem { get; private set; }

    /// <summary>Bypasses every policy, in every namespace; <see cref="RevokeAllTokens"/> spares it.</summary>
    public string RootToken => _rootToken.Id;

    /// <summary>The "Kubernetes cluster" whose service-account JWTs the kubernetes and jwt mounts trust.</summary>
    public ServiceAccountTokenIssuer Issuer => _context.Issuer;

    /// <summary>Wall-clock delay before every request is handled, kept to about 0.1 ms; a client that gives up first is logged with 499.</summary>
    public TimeSpan Latency
    {
        get => _state.Latency;
        set => _state.Latency = value;
    }

    /// <summary>With <see cref="EmulatorOptions.UseTls"/>, the TLS server name (SNI) of each connection, empty when none was sent.</summary>
    public IReadOnlyList<string> ServerNamesAsked => [.. _serverNamesAsked];

    /// <summary>The Host header of each request, oldest first.</summary>
    public IReadOnlyList<string> HostsAsked => [.. _hostsAsked];

    /// <summary>A snapshot of every request so far, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _log.Snapshot();

    /// <summary>IDs of leases that are neither revoked (directly or with their token) nor expired, nor dead with their expired token.</summary>
    public IReadOnlyList<string> ActiveLeaseIds => _context.Leases.ActiveIds();

    private EmulatorServer Server => _server ?? throw new InvalidOperationException("The emulator has not started.");

    public static async Task<OpenBaoEmulator> StartAsync(EmulatorOptions? options = null)
    {
        options ??= new EmulatorOptions();
        var emulator = new OpenBaoEmulator(options);
        X509Certificate2? certificate = null;
        if (options.UseTls)
        {
            (certificate, emulator.CaCertificatePem) = CreateServerCertificate();
        }

        var pipeline = new RequestPipeline(emulator._namespaces, emulator._context, emulator._state, emulator._latency, emulator._faults, emulator._log);
        emulator._server = await EmulatorServer.StartAsync(
            context =>
            {
                emulator._hostsAsked.Enqueue(context.Request.Host.Value ?? "");
                return pipeline.HandleAsync(context);
            },
            certificate,
            options.UnixSocketPath,
            serverName => emulator._serverNamesAsked.Enqueue(serverName ?? ""));
        emulator.UnixSocketAddress = options.UnixSocketPath is { } socket ? new Uri("unix://" + socket) : null;
        return emulator;
    }

    public void AddNamespace(string path) => _namespaces.Add(path);

    public void EnableKvV2(string mount = "secret", string? ns = null) =>
        Mount(ns, mount, new KvV2Backend(_context.Time));

    public void EnableKvV1(string mount = "kv", string? ns = null, int defaultLeaseTtlSeconds = 2764800) =>
        Mount(ns, mount, new KvV1Backend(TimeSpan.FromSeconds(defaultLeaseTtlSeconds)));

    /// <returns>The new version number.</returns>
    public int PutKvV2(string mount, string path, IReadOnlyDictionary<string, object?> data, string? ns = null) =>
        Backend<KvV2Backend>(ns, mount).Put(path, JsonValueWriter.ToElement(data));

    /// <summary>
    /// Sets the key's <c>delete_version_after</c>, as <c>POST &lt;mount&gt;/metadata/&lt;path&gt;</c> does: each version
    /// written from now on carries a <c>deletion_time</c> that far ahead, is served until then, and reads as
    /// deleted (404 with its metadata) after.
    /// </summary>
    public void SetKvV2DeleteVersionAfter(string mount, string path, TimeSpan after, string? ns = null) =>
        Backend<KvV2Backend>(ns, mount).SetDeleteVersionAfter(path, after);

    /// <summary>Soft delete: reads of the version answer 404 with its metadata.</summary>
    public void DeleteKvV2Version(string mount, string path, int version, string? ns = null) =>
        DeleteKvV2Versions(mount, path, [version], ns);

    public void DestroyKvV2Version(string mount, string path, int version, string? ns = null) =>
        DestroyKvV2Versions(mount, path, [version], ns);

    /// <summary>
    /// Soft-deletes versions in the root namespace, as <c>POST &lt;mount&gt;/delete/&lt;path&gt;</c> does: reads of them
    /// answer 404 with their metadata, a version already deleted or destroyed keeps its state, and the key stays listed.
    /// Unlike the HTTP call, a secret or version that does not exist (or was trimmed past 10 versions) throws.
    /// </summary>
    public void DeleteKvV2Versions(string mount, string path, params int[] versions) =>
        DeleteKvV2Versions(mount, path, versions, ns: null);

    /// <summary>Like <see cref="DeleteKvV2Versions(string, string, int[])"/>, in namespace <paramref name="ns"/>.</summary>
    public void DeleteKvV2Versions(string mount, string path, IReadOnlyList<int> versions, string? ns) =>
        Backend<KvV2Backend>(ns, mount).SoftDelete(path, versions);

    /// <summary>
    /// Destroys versions in the root namespace, as <c>POST &lt;mount&gt;/destroy/&lt;path&gt;</c> does: their data is gone,
    /// reads answer 404 with <c>destroyed: true</c>, undelete cannot restore them, and the key stays listed.
    /// A secret or version that does not exist throws.
    /// </summary>
    public void DestroyKvV2Versions(string mount, string path, params int[] versions) =>
        DestroyKvV2Versions(mount, path, versions, ns: null);

    /// <summary>Like <see cref="DestroyKvV2Versions(string, string, int[])"/>, in namespace <paramref name="ns"/>.</summary>
    public void DestroyKvV2Versions(string mount, string path, IReadOnlyList<int> versions, string? ns) =>
        Backend<KvV2Backend>(ns, mount).Destroy(path, versions);

    /// <summary>
    /// Removes a KV v2 secret entirely, as <c>DELETE &lt;mount&gt;/metadata/&lt;path&gt;</c> does: every version and
    /// the metadata go, so it leaves its folder's list (and an emptied folder leaves its parent's).
    /// A secret that does not exist throws.
    /// </summary>
    public void DeleteKvV2Metadata(string mount, string path, string? ns = null) =>
        Backend<KvV2Backend>(ns, mount).Remove(path);

    public void PutKvV1(string mount, string path, IReadOnlyDictionary<string, object?> data, string? ns = null) =>
        Backend<KvV1Backend>(ns, mount).Put(path, JsonValueWriter.ToElement(data));

    /// <summary>Removes a KV v1 secret, as <c>DELETE &lt;mount&gt;/&lt;path&gt;</c> does; a secret that does not exist throws.</summary>
    public void DeleteKvV1(string mount, string path, string? ns = null) =>
        Backend<KvV1Backend>(ns, mount).Remove(path);

    public void EnableDatabase(string mount = "database", string? ns = null) =>
        Mount(ns, mount, new DatabaseBackend(_context));

    public void AddDatabaseRole(string name, TimeSpan defaultTtl, TimeSpan maxTtl, string mount = "database", string? ns = null) =>
        Backend<DatabaseBackend>(ns, mount).AddRole(name, new DatabaseRoleSettings(defaultTtl, maxTtl));

    /// <summary>Mounts PKI with a freshly generated root CA (ECDSA P-256).</summary>
    /// <param name="withIntermediateCa">
    /// False (the default): the root issues leaves itself; <c>issuing_ca</c> is the root and <c>ca_chain</c> is
    /// <c>[root]</c>. True: a second CA, signed by the root, issues them, as on a mount whose issuer is an
    /// intermediate with its chain imported; <c>issuing_ca</c> is the intermediate and <c>ca_chain</c> is
    /// <c>[intermediate, root]</c>, issuer first as OpenBao builds it. Trusting only
    /// <see cref="GetPkiRootCaPem"/> then verifies a leaf through the intermediate.
    /// </param>
    public void EnablePki(string mount = "pki", string? ns = null, bool withIntermediateCa = false) =>
        Mount(ns, mount, new PkiBackend(_context, mount, withIntermediateCa));

    /// <summary>The PEM of the CA that signs a PKI mount's leaves (its <c>issuing_ca</c>): the root, or the intermediate when there is one.</summary>
    public string GetPkiCaPem(string mount = "pki", string? ns = null) =>
        Backend<PkiBackend>(ns, mount).IssuingCaPem;

    /// <summary>The PEM of a PKI mount's self-signed root CA, the trust anchor of every chain it issues.</summary>
    public string GetPkiRootCaPem(string mount = "pki", string? ns = null) =>
        Backend<PkiBackend>(ns, mount).RootCaPem;

    /// <summary>The PEM of a PKI mount's intermediate CA; throws unless the mount was enabled with <c>withIntermediateCa</c>.</summary>
    public string GetPkiIntermediateCaPem(string mount = "pki", string? ns = null) =>
        Backend<PkiBackend>(ns, mount).IntermediateCaPem
        ?? throw new InvalidOperationException($"The PKI mount {mount} issues from its root; enable it with withIntermediateCa: true.");

    public void AddPkiRole(string name, IReadOnlyList<string> allowedDomains, bool allowSubdomains, bool generateLease = false, string mount = "pki", string? ns = null) =>
        Backend<PkiBackend>(ns, mount).AddRole(name, new PkiRoleSettings([.. allowedDomains], allowSubdomains, generateLease));

    public void EnableTransit(string mount = "transit", string? ns = null) =>
        Mount(ns, mount, new TransitBackend());

    public void AddTransitKey(string name, string mount = "transit", string? ns = null) =>
        Backend<TransitBackend>(ns, mount).AddKey(name);

    /// <returns><c>vault:v1:&lt;base64&gt;</c>, decryptable through <c>transit/decrypt/&lt;key&gt;</c>.</returns>
    public string TransitEncrypt(string key, byte[] plaintext, string mount = "transit", string? ns = null) =>
        Backend<TransitBackend>(ns, mount).Encrypt(key, plaintext);

    public void EnableKubernetesAuth(string mount = "kubernetes", string? ns = null) =>
        Mount(ns, "auth/" + mount, new KubernetesAuthBackend(_context, $"auth/{mount}/"));

    /// <summary>
    /// The cluster the kubernetes auth method reviews tokens with also issued service-account JWTs signed by this
    /// RSA public key (PEM), e.g. those of a Kubernetes emulator.
    /// </summary>
    public void TrustKubernetesSigningKey(string publicKeyPem) => _context.TrustedKeys.Add(publicKeyPem);

    /// <summary>
    /// Every kubernetes auth login fails its TokenReview, as when OpenBao cannot review tokens (its reviewer lacks
    /// <c>system:auth-delegator</c>, or the API server is unreachable from OpenBao): 403 <c>permission denied</c>.
    /// </summary>
    public bool KubernetesTokenReviewsFail
    {
        get => _context.TokenReviewsFail;
        set => _context.TokenReviewsFail = value;
    }

    public void AddKubernetesRole(string mount, string name, KubernetesRole role, string? ns = null) =>
        Backend<KubernetesAuthBackend>(ns, "auth/" + mount).AddRole(name, role);

    public void EnableJwtAuth(string mount = "jwt", string? ns = null) =>
        Mount(ns, "auth/" + mount, new JwtAuthBackend(_context, $"auth/{mount}/"));

    public void AddJwtRole(string mount, string name, JwtRole role, string? ns = null) =>
        Backend<JwtAuthBackend>(ns, "auth/" + mount).AddRole(name, role);

    /// <summary>Creates or replaces a policy in the root namespace.</summary>
    public void AddPolicy(string name, params PolicyRule[] rules) => AddPolicy(name, rules, ns: null);

    /// <summary>Creates or replaces a policy in <paramref name="ns"/>; its paths are relative to that namespace.</summary>
    public void AddPolicy(string name, IReadOnlyList<PolicyRule> rules, string? ns) =>
        _namespaces.Get(ns).Policies.Set(name, rules);

    /// <summary>
    /// Every token issued by a login becomes invalid, and with a service token its leases. A batch token's
    /// leases survive it (OpenBao keeps no link from a batch token to its leases; they end at its expiry anyway).
    /// </summary>
    public void RevokeAllTokens() => _context.Tokens.RevokeAllExceptRoot();

    /// <summary>Every <c>/v1</c> request answers 503 until <see cref="Unseal"/>; tokens and data survive.</summary>
    public void Seal() => _state.Sealed = true;

    public void Unseal() => _state.Sealed = false;

    /// <summary>Seals one namespace (and with it those below): its requests answer 503 <c>namespace is sealed</c>.</summary>
    public void SealNamespace(string path, bool isSealed = true) => _namespaces.Get(path).Sealed = isSealed;

    /// <summary>
    /// Locks one namespace's API, as <c>sys/namespaces/api-lock/lock</c> does: its requests and those of namespaces
    /// below it answer 503 naming the locked namespace, until it is unlocked.
    /// </summary>
    public void LockNamespace(string path, bool locked = true) => _namespaces.Get(path).Locked = locked;

    /// <summary>The next <paramref name="count"/> requests whose path starts with <paramref name="pathPrefix"/>
    /// (e.g. <c>/v1/auth/kubernetes/login</c>; null = any) answer <c>{"errors":[message]}</c> with the status.</summary>
    /// <param name="afterHandling">Process each request first, so its effects happen (a credential issued and counted,
    /// a token renewed) and only the answer is lost, as when a proxy in front of OpenBao answers 502 or 504.</param>
    public void FailNext(int count, int statusCode, string? pathPrefix = null, string message = "injected fault", bool afterHandling = false) =>
        _faults.Add(count, statusCode, pathPrefix, message, afterHandling);

    /// <summary>
    /// The next <paramref name="count"/> requests whose path starts with <paramref name="pathPrefix"/> (null = any)
    /// are processed, effects and counters included, and then their connection is reset with no response.
    /// They are logged with status 0. Faults of every kind share one queue, oldest first, one per request.
    /// </summary>
    public void AbortNext(int count, string? pathPrefix = null) => _faults.AddAbort(count, pathPrefix);

    /// <summary>Drops every queued fault not yet used, so a test phase's faults cannot leak into the next phase.</summary>
    public void ClearFaults() => _faults.Clear();

    /// <summary>Counts over secret leases so far.</summary>
    /// <param name="pathPrefix">Lease path as seen from the root namespace, without <c>/v1/</c>:
    /// <c>database/creds/</c>, <c>team-a/database/creds/app</c>; null counts every lease.</param>
    public LeaseStatistics GetLeaseStatistics(string? pathPrefix = null) => _context.Leases.Statistics(pathPrefix);

    /// <summary>Counts over login tokens so far.</summary>
    /// <param name="pathPrefix">Login path as seen from the root namespace, without <c>/v1/</c>:
    /// <c>auth/kubernetes/</c>, <c>team-a/auth/jwt/login</c>; null counts every login.</param>
    public TokenStatistics GetTokenStatistics(string? pathPrefix = null) => _context.Tokens.Statistics(pathPrefix);

    public void ClearRequests() => _log.Clear();

    /// <summary>Requests with this method (any case) whose path starts with <paramref name="pathPrefix"/>.</summary>
    public int CountRequests(string method, string pathPrefix) =>
        _log.Snapshot().Count(request => Matches(request, method, pathPrefix));

    /// <summary>
    /// Completes once a request like those <see cref="CountRequests"/> counts is logged, just before its answer (at once if one was):
    /// for work a client finishes after its caller has gone.
    /// </summary>
    public Task WhenRequestedAsync(string method, string pathPrefix) =>
        _log.WhenRecordedAsync(request => Matches(request, method, pathPrefix));

    /// <summary>
    /// Completes once such a request has reached the emulator, before any injected latency (at once if one had):
    /// for a test that must act while the request is held.
    /// </summary>
    public Task WhenArrivedAsync(string method, string pathPrefix) =>
        _log.WhenArrivedAsync((arrivedMethod, path) => Matches(arrivedMethod, path, method, pathPrefix));

    private static bool Matches(RecordedRequest request, string method, string pathPrefix) => Matches(request.Method, request.Path, method, pathPrefix);

    private static bool Matches(string requestMethod, string requestPath, string method, string pathPrefix) =>
        string.Equals(requestMethod, method, StringComparison.OrdinalIgnoreCase)
        && requestPath.StartsWith(pathPrefix, StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _latency.Dispose();
    }

    /// <summary>Wall-clock validity: TLS handshakes check real time whatever the emulator's clock says.</summary>
    private static (X509Certificate2 Certificate, string CaPem) CreateServerCertificate()
    {
        var now = DateTimeOffset.UtcNow;
        using var ca = CertificateFactory.CreateRootCa("OpenBao Emulator TLS CA", now.AddHours(-1), now.AddYears(1));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var certificate = CertificateFactory.IssueLeaf(
            ca, key, "localhost", ["localhost"], [IPAddress.Loopback], now.AddHours(-1), now.AddDays(30), CertificateFactory.NewSerialNumber());
        return (certificate, ca.ExportCertificatePem());
    }

    private void Mount(string? ns, string mount, IBackend backend) =>
        _namespaces.Get(ns).Mounts.Add(mount.Trim('/') + "/", backend);

    private T Backend<T>(string? ns, string mount)
        where T : class, IBackend =>
        _namespaces.Get(ns).Mounts.Get<T>(mount.Trim('/') + "/");
}
