using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.Grpc;
using OpenBao.Csi.Provider.Fetching;
using OpenBao.Csi.Provider.KubernetesApi;
using OpenBao.Csi.Provider.Metrics;
using OpenBao.Csi.Provider.OpenBao;
using OpenBao.Csi.Provider.Pipeline;
using OpenBao.Csi.Provider.Renewal;
using OpenBao.Csi.Provider.RotationEvents;
using OpenBao.Csi.Provider.Versioning;

namespace OpenBao.Csi.Provider.Hosting;

internal static class ProviderServiceCollectionExtensions
{
    /// <summary>The provider: the mount pipeline behind the gRPC service on the socket, and the host's own parts.</summary>
    public static IServiceCollection AddOpenBaoCsiProvider(this IServiceCollection services, ProviderOptions options)
    {
        var kubernetes = KubernetesConnection.Connect(options.Kubeconfig, options.HmacSecretNamespace, options.Environment);
        // The pod watch needs both the cluster and which node this is; without either, idleness stands in for pod deletion.
        var watchedCluster = options.NodeName is null ? null : kubernetes.Client;
        services.AddMountPipeline(options, kubernetes, podWatch: watchedCluster is not null);
        services.AddSingleton(options);
        services.AddSingleton<ReadinessState>();
        services.AddHostedService<UnixSocketLifecycle>();
        services.AddSingleton<SystemdNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<SystemdNotifier>());
        services.AddSingleton(sp => new PeerAuthorization(options.AllowedPeerUids, sp.GetRequiredService<ILogger<PeerAuthorization>>()));
        services.AddSingleton(sp => new MountBudget(options.MountTimeout, sp.GetRequiredService<TimeProvider>(), options.MaxMountResponseBytes));
        services.AddSingleton(sp => new MountActivity(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<RunningPods>();
        services.AddHostedService(sp => sp.GetRequiredService<RenewalService>());
        if (watchedCluster is not null)
        {
            services.AddHostedService(sp => new NodePodWatcher(
                watchedCluster,
                options.NodeName!,
                sp.GetRequiredService<TokenCache>(),
                sp.GetRequiredService<RunningPods>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ProviderMetrics>(),
                sp.GetRequiredService<ILogger<NodePodWatcher>>()));
        }

        services.AddRotationEvents(options, kubernetes);
        services.AddGrpc(grpc => grpc.EnableDetailedErrors = false);
        CsiDriverProviderMethods.Register(services);
        // One instance for every call: otherwise gRPC builds the service per call, by reflection in the NativeAOT binary.
        services.AddSingleton(sp => new CsiDriverProviderService(
            sp.GetRequiredService<MountPipeline>(),
            sp.GetRequiredService<MountBudget>(),
            sp.GetRequiredService<PeerAuthorization>(),
            sp.GetRequiredService<ProviderMetrics>(),
            sp.GetRequiredService<RotationEventRecorder>(),
            sp.GetRequiredService<MountActivity>(),
            sp.GetRequiredService<RunningPods>(),
            sp.GetRequiredService<ILogger<CsiDriverProviderService>>()));
        return services;
    }

    /// <summary>Loads the version key and the TLS files the flags name, so a bad one stops the start with its own message, before any mount.</summary>
    public static void LoadFlagFiles(this IServiceProvider services, ProviderOptions options)
    {
        services.GetRequiredService<IVersionKeySource>();
        services.GetRequiredService<OpenBaoClientFactory>().Create(new OpenBaoConnection(options.OpenBaoAddress, options.OpenBaoNamespace, options.OpenBaoTls));
    }

    /// <summary>
    /// The long-lived parts of the pipeline, made once and shared by every mount, without the host: no socket,
    /// no background service started. <c>mount</c> without <c>-socket</c> runs just this.
    /// </summary>
    public static IServiceCollection AddMountPipeline(this IServiceCollection services, ProviderOptions options, KubernetesConnection.Result kubernetes, bool podWatch)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton(sp =>
        {
            var meters = sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
            ProcessMetrics.Register(meters, sp.GetRequiredService<TimeProvider>());
            return new ProviderMetrics(meters);
        });
        services.AddSingleton(options.ToOpenBaoDefaults());
        services.AddSingleton(sp => new OpenBaoClientFactory(
            new OpenBaoClientSettings(options.OpenBaoTimeout, options.OpenBaoMaxResponseBytes),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<OpenBaoClientFactory>>(),
            sp.GetRequiredService<ProviderMetrics>()));
        services.AddSingleton(kubernetes);
        if (kubernetes.Client is { } client)
        {
            services.TryAddSingleton<IServiceAccountTokenRequester>(new KubernetesTokenRequester(client));
        }

        services.AddCredentialLifecycle(options, podWatch);
        services.AddSingleton(sp => new ServiceAccountTokenSource(
            options.DefaultAudience,
            sp.GetService<IServiceAccountTokenRequester>(),
            kubernetes.Client is null ? kubernetes.Description : null));
        services.AddSingleton<OpenBaoAuthenticator>();
        services.TryAddSingleton<IVersionKeySource>(sp => CreateVersionKeySource(options, kubernetes, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<MountPipeline>();
        return services;
    }

    private static void AddRotationEvents(this IServiceCollection services, ProviderOptions options, KubernetesConnection.Result kubernetes)
    {
        if (options.EmitEvents && kubernetes.Client is { } client)
        {
            // Names the node in Events' source, as the kubelet does; the host name stands in outside a pod.
            var instance = options.NodeName ?? Environment.MachineName;
            services.TryAddSingleton<IPodEventSink>(new KubernetesPodEventSink(client, instance));
        }

        services.AddSingleton(sp => new RotationEventRecorder(
            sp.GetService<IPodEventSink>(),
            sp.GetRequiredService<ProviderMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RotationEventRecorder>>()));
        services.AddHostedService(sp => sp.GetRequiredService<RotationEventRecorder>());
    }

    /// <summary>Token and lease caches, renewal and revocation: the state kept between a pod's polls.</summary>
    private static void AddCredentialLifecycle(this IServiceCollection services, ProviderOptions options, bool podWatch)
    {
        services.AddSingleton(new RenewalSettings(options.RenewalInterval, options.IdleTimeout, podWatch));
        services.AddSingleton(sp =>
        {
            var leases = new LeaseCache();
            sp.GetRequiredService<ProviderMetrics>().ObserveSize("openbao_csi.lease_cache.entries", "{secret}", "Dynamic secrets kept for their pods' next polls.", () => leases.Count);
            return leases;
        });
        services.AddSingleton<TokenRevoker>();
        services.AddSingleton<ITokenRetirement>(sp => new CredentialReaper(
            sp.GetRequiredService<LeaseCache>(), sp.GetRequiredService<TokenRevoker>(), options.RevokeTokens));
        services.AddSingleton(sp =>
        {
            var metrics = sp.GetRequiredService<ProviderMetrics>();
            var tokens = new TokenCache(
                options.CacheSize, options.RenewFraction, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ITokenRetirement>(), metrics);
            metrics.ObserveSize("openbao_csi.token_cache.entries", "{token}", "OpenBao tokens kept per pod and role.", () => tokens.Count);
            return tokens;
        });
        services.AddSingleton<TokenRenewer>();
        services.AddSingleton<LeaseRenewer>();
        services.AddSingleton<SecretFetcher>();
        services.AddSingleton<RenewalService>();
    }

    private static IVersionKeySource CreateVersionKeySource(ProviderOptions options, KubernetesConnection.Result kubernetes, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger<IVersionKeySource>();
        if (options.HmacKeyFile is { } path)
        {
            var source = new FileVersionKeySource(path);
            Log.VersionKeyFromFile(logger, path);
            return source;
        }

        if (kubernetes is { Client: { } client, OwnNamespace: { } ns })
        {
            return new KubernetesSecretVersionKeySource(client, ns, options.HmacSecretName, loggers.CreateLogger<KubernetesSecretVersionKeySource>());
        }

        var reason = kubernetes.Client is null ? kubernetes.Description : "the provider's namespace is unknown (set POD_NAMESPACE or -hmac-secret-namespace)";
        Log.RandomVersionKey(logger, reason);
        return new RandomVersionKeySource();
    }
}
