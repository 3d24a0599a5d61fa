using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.KubernetesApi;
using OpenBao.Csi.Provider.OpenBao;
using OpenBao.Csi.Provider.Pipeline;
using OpenBao.Csi.Provider.Versioning;

namespace OpenBao.Csi.Provider.Hosting;

internal static class ProviderServiceCollectionExtensions
{
    /// <summary>The long-lived parts of the pipeline, made once and shared by every mount.</summary>
    public static IServiceCollection AddOpenBaoCsiProvider(this IServiceCollection services, ProviderOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton<ReadinessState>();
        services.AddHostedService<UnixSocketLifecycle>();
        services.AddSingleton(options.ToOpenBaoDefaults());
        services.AddSingleton(sp => new OpenBaoClientFactory(options.OpenBaoTimeout, sp.GetRequiredService<ILogger<OpenBaoClientFactory>>()));
        services.AddSingleton(sp => new TokenCache(options.CacheSize, sp.GetRequiredService<TimeProvider>()));
        var kubernetes = KubernetesConnection.Connect(options.Kubeconfig, options.HmacSecretNamespace, options.Environment);
        services.AddSingleton(kubernetes);
        if (kubernetes.Client is { } client)
        {
            services.TryAddSingleton<IServiceAccountTokenRequester>(new KubernetesTokenRequester(client));
        }

        services.AddSingleton(sp => new ServiceAccountTokenSource(
            options.DefaultAudience,
            sp.GetService<IServiceAccountTokenRequester>(),
            kubernetes.Client is null ? kubernetes.Description : null));
        services.AddSingleton<OpenBaoAuthenticator>();
        services.TryAddSingleton<IVersionKeySource>(sp => CreateVersionKeySource(options, kubernetes, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<MountPipeline>();
        services.AddGrpc(grpc => grpc.EnableDetailedErrors = false);
        return services;
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
