using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Grpc;
using OpenBao.Csi.Provider.OpenBao;

namespace OpenBao.Csi.Provider.Hosting;

/// <summary>Everything the command line and environment configure. Defaults match the Go provider's.</summary>
internal sealed class ProviderOptions
{
    public string Endpoint { get; set; } = "/tmp/openbao.sock";

    public UnixFileMode SocketMode { get; set; } = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public Uri OpenBaoAddress { get; set; } = new("https://127.0.0.1:8200");

    public string OpenBaoAuthMount { get; set; } = "kubernetes";

    /// <summary>A second cluster (a DR or performance replica) to mount from while the primary is unreachable, sealed or failing.</summary>
    public Uri? OpenBaoFailoverAddress { get; set; }

    public string? OpenBaoNamespace { get; set; }

    public OpenBaoTlsSettings OpenBaoTls { get; set; } = new();

    public TimeSpan OpenBaoTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Callers allowed to Mount, by the UID the kernel reports for the socket peer; the provider's own UID is added.</summary>
    public IReadOnlySet<uint> AllowedPeerUids { get; set; } = new HashSet<uint> { 0 };

    /// <summary>Below the kubelet's 2-minute limit for a CSI call, so the provider says which step was slow.</summary>
    public TimeSpan MountTimeout { get; set; } = TimeSpan.FromSeconds(90);

    public long OpenBaoMaxResponseBytes { get; set; } = OpenBaoClientSettings.DefaultMaxResponseBytes;

    public long MaxMountResponseBytes { get; set; } = MountBudget.DriverDefaultResponseBytes;

    /// <summary>Null turns the health listener off.</summary>
    public HealthAddress? HealthAddress { get; set; } = new(null, 8080);

    public string HmacSecretName { get; set; } = "openbao-csi-provider-hmac-key";

    public string? HmacKeyFile { get; set; }

    /// <summary>Namespace of the version key Secret; null means the provider's own (POD_NAMESPACE or the service-account file).</summary>
    public string? HmacSecretNamespace { get; set; }

    public string? Kubeconfig { get; set; }

    /// <summary>Where Kubernetes discovery looks up KUBECONFIG, HOME and POD_NAMESPACE; tests isolate it.</summary>
    public Func<string, string?> Environment { get; set; } = System.Environment.GetEnvironmentVariable;

    public int CacheSize { get; set; } = 1000;

    public string DefaultAudience { get; set; } = "openbao";

    /// <summary>Share of a token's or lease's TTL after which it is renewed (or, when it cannot be, replaced).</summary>
    public double RenewFraction { get; set; } = 2.0 / 3.0;

    /// <summary>Revoke the tokens (and so the leases) of deleted, finished, idle or evicted pods.</summary>
    public bool RevokeTokens { get; set; } = true;

    /// <summary>Post Warning/Normal Events on pods whose rotation polls fail and recover.</summary>
    public bool EmitEvents { get; set; } = true;

    /// <summary>Without a pod watch, a pod's token is released when no mount asked for it in this long.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>This node's name (downward API <c>NODE_NAME</c>), which restricts the pod watch to its pods.</summary>
    public string? NodeName { get; set; }

    /// <summary>How often the background renewal pass runs; not a flag, tests turn the loop off and drive passes.</summary>
    public TimeSpan RenewalInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Set by <c>-log-level</c>; null when not given.</summary>
    public LogLevel? LogLevel { get; set; }

    public bool Debug { get; set; }

    /// <summary>From <c>-log-format</c>: one line of text per entry, or one JSON object per line for log pipelines.</summary>
    public bool JsonLogs { get; set; }

    public LogLevel EffectiveLogLevel => LogLevel ?? (Debug ? Microsoft.Extensions.Logging.LogLevel.Debug : Microsoft.Extensions.Logging.LogLevel.Information);

    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool PrintVersion { get; set; }

    public OpenBaoDefaults ToOpenBaoDefaults() => new(OpenBaoAddress, OpenBaoNamespace, OpenBaoAuthMount, OpenBaoTls, OpenBaoFailoverAddress);
}
