using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Grpc;
using OpenBao.Csi.Provider.KubernetesApi;
using OpenBao.Csi.Provider.Metrics;
using OpenBao.Csi.Provider.Renewal;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace OpenBao.Csi.Provider.Hosting;

/// <summary>Builds the provider's web host: gRPC on the Unix socket, health on TCP. Tests build the same host.</summary>
internal static class ProviderHost
{
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// OpenTelemetry allocates every metric's series up front, 2000 by default: several MiB of the idle process and
    /// a tenth of its start-up across the provider's and the runtime's instruments. Labels here come from closed
    /// sets, the largest being OpenBao operation × HTTP status (about a hundred seen in practice); anything beyond
    /// the limit is still counted, under OpenTelemetry's overflow series.
    /// </summary>
    private const int MaxSeriesPerMetric = 256;

    /// <summary>
    /// The runtime's observable instruments report a fixed handful of series (a GC generation, user or system CPU,
    /// or none); at the full limit their set-aside series alone pushed start-up past the first gen-0 budget, and the
    /// collection cost about a tenth of start to serving. The provider's own observable counters carry its labelled
    /// counts (mounts by gRPC code, OpenBao requests by status), so they keep the full limit.
    /// </summary>
    private const int MaxSeriesPerObservable = 16;

    public static WebApplication Build(ProviderOptions options, Action<IServiceCollection>? configureServices = null)
    {
        // The provider reads no configuration files, but the host would watch its content root (the working
        // directory: "/" in most images) recursively for appsettings.json changes: thousands of inotify watches
        // out of the node's per-user budget, and tens of milliseconds of start-up spent walking the tree.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        ConfigureLogging(builder.Logging, options.EffectiveLogLevel, options.JsonLogs);

        UnixSocketLifecycle.PrepareSocketPath(options.Endpoint);
        builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = endpoint => endpoint is UnixDomainSocketEndPoint unix
            ? UnixSocketLifecycle.BindListenSocket(unix)
            : SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ListenUnixSocket(options.Endpoint, listen => listen.Protocols = HttpProtocols.Http2);
            if (options.HealthAddress is { } health)
            {
                ListenHealth(kestrel, health);
            }
        });

        builder.Services.AddOpenBaoCsiProvider(options);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(CsiDriverProviderService.RuntimeName, serviceVersion: ProviderVersion.Current, autoGenerateServiceInstanceId: false))
            .WithMetrics(metrics => metrics
            .AddMeter(ProviderMetrics.MeterName, "System.Runtime")
            .AddView(instrument => new MetricStreamConfiguration
            {
                CardinalityLimit = instrument.IsObservable && instrument.Meter.Name != ProviderMetrics.MeterName ? MaxSeriesPerObservable : MaxSeriesPerMetric,
            })
            .AddPrometheusExporter());
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.Services.LoadFlagFiles(options);
        LogKubernetes(app.Services);
        Log.Starting(
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ProviderHost)),
            ProviderVersion.Current,
            options.OpenBaoAddress.ToString(),
            options.OpenBaoAuthMount,
            options.OpenBaoNamespace ?? "(root)",
            options.DefaultAudience,
            options.CacheSize);
        app.UseListenerSeparation();
        app.MapGrpcService<CsiDriverProviderService>();
        app.MapHealthEndpoints();
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            // Only now does the exporter listen to the meter: a measurement taken earlier would be lost.
            app.Services.GetRequiredService<ProviderMetrics>().StartSeriesAtZero();
            var notifier = app.Services.GetRequiredService<SystemdNotifier>();
            var release = StartupMemory.Schedule(
                app.Services.GetRequiredService<TimeProvider>(),
                app.Services.GetRequiredService<MountActivity>(),
                () =>
                {
                    StartupMemory.Release();
                    _ = notifier.StartupMemoryReleasedAsync();
                });
            // The registration also keeps the timer reachable: an unreferenced timer may be collected before it fires.
            app.Lifetime.ApplicationStopping.Register(release.Dispose);
        });
        return app;
    }

    private static void LogKubernetes(IServiceProvider services)
    {
        var kubernetes = services.GetRequiredService<KubernetesConnection.Result>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ProviderHost));
        if (kubernetes.Client is null)
        {
            Log.KubernetesUnavailable(logger, kubernetes.Description);
        }
        else
        {
            Log.KubernetesConnected(logger, kubernetes.Description, kubernetes.OwnNamespace ?? "unknown");
        }

        var options = services.GetRequiredService<ProviderOptions>();
        if (!options.EmitEvents || kubernetes.Client is null)
        {
            RotationEvents.Log.EventsOff(logger, options.EmitEvents ? "no Kubernetes API" : "-emit-events=false");
        }

        var renewal = services.GetRequiredService<RenewalSettings>();
        if (!renewal.PodWatch)
        {
            var why = kubernetes.Client is null ? "no Kubernetes API" : "no node name (set NODE_NAME or -node-name)";
            Log.NoPodWatch(logger, why, renewal.IdleTimeout);
        }
    }

    private static void ListenHealth(KestrelServerOptions kestrel, HealthAddress health)
    {
        void Http1(ListenOptions listen) => listen.Protocols = HttpProtocols.Http1;
        switch (health.Host)
        {
            case null:
                kestrel.ListenAnyIP(health.Port, Http1);
                break;
            case "localhost":
                kestrel.ListenLocalhost(health.Port, Http1);
                break;
            default:
                kestrel.Listen(System.Net.IPAddress.Parse(health.Host), health.Port, Http1);
                break;
        }
    }

    private static void ConfigureLogging(ILoggingBuilder logging, LogLevel level, bool json)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(level);
        // Framework chatter only when asked for everything.
        var frameworkLevel = level <= LogLevel.Trace ? LogLevel.Trace : LogLevel.Warning;
        logging.AddFilter("Microsoft", frameworkLevel);
        logging.AddFilter("Grpc", frameworkLevel);
        // ASP.NET Core starts an Activity for every request whose diagnostics category logs anything at all, to
        // scope its request lines; those lines are at Information, so below Trace the Activity was all it cost.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", level <= LogLevel.Trace ? LogLevel.Trace : LogLevel.None);
        // A failed start is reported once, on one line, by the command; the host would add a stack trace.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level <= LogLevel.Trace ? LogLevel.Trace : LogLevel.Critical);
        if (json)
        {
            logging.AddJsonConsole(console =>
            {
                console.UseUtcTimestamp = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
            return;
        }

        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
    }

    /// <summary>gRPC is served only on the socket, health and metrics only on TCP, so the TCP port never exposes Mount.</summary>
    private static void UseListenerSeparation(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var onSocket = context.Connection.LocalIpAddress is null;
            var path = context.Request.Path;
            var isTcpEndpoint = path.StartsWithSegments("/health", StringComparison.Ordinal)
                || path.Equals(MetricsPath, StringComparison.Ordinal);
            if (onSocket == isTcpEndpoint)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });

    private static void MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health/live", () => Results.Text("ok\n"));
        endpoints.MapGet("/health/ready", (ReadinessState readiness) =>
            readiness.IsReady ? Results.Text("ready\n") : Results.Text("not ready\n", statusCode: StatusCodes.Status503ServiceUnavailable));
    }
}
