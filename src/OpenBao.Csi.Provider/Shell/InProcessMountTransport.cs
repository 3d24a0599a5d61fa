using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenBao.Csi.Provider.Grpc;
using OpenBao.Csi.Provider.Hosting;
using OpenBao.Csi.Provider.KubernetesApi;
using OpenBao.Csi.Provider.Mounting;
using OpenBao.Csi.Provider.OpenBao;
using OpenBao.Csi.Provider.Pipeline;
using OpenBao.Csi.Provider.V1Alpha1;
using OpenBao.Csi.Provider.Versioning;

namespace OpenBao.Csi.Provider.Shell;

/// <summary>
/// The provider's mount pipeline in this process, registered as the host registers it but without Kestrel,
/// a socket or background services: the same parsing, login, reads, rendering and error codes.
/// </summary>
internal sealed class InProcessMountTransport : IMountTransport
{
    private readonly ServiceProvider _services;
    private readonly MountPipeline _pipeline;
    private readonly MountBudget _budget;
    private readonly ILogger _logger;

    private InProcessMountTransport(ServiceProvider services)
    {
        _services = services;
        _pipeline = services.GetRequiredService<MountPipeline>();
        _budget = services.GetRequiredService<MountBudget>();
        _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<InProcessMountTransport>();
    }

    /// <summary>Logs go to stderr, warnings and above unless <c>-log-level</c> says otherwise: stdout is the table.</summary>
    /// <exception cref="VersionKeyException">The <c>-hmac-key-file</c> cannot be used.</exception>
    /// <exception cref="OpenBaoTlsException">The TLS files of the flags cannot be used.</exception>
    public static InProcessMountTransport Create(ProviderOptions options, KubernetesConnection.Result kubernetes, TimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(options.LogLevel ?? (options.Debug ? LogLevel.Debug : LogLevel.Warning));
            logging.AddSimpleConsole(console => console.SingleLine = true);
            logging.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        });
        services.AddSingleton(time);
        services.AddSingleton(new MountBudget(options.MountTimeout, time, options.MaxMountResponseBytes));
        services.AddSingleton(sp => VersionKeys(options, kubernetes, sp.GetRequiredService<ILogger<KubernetesSecretVersionKeySource>>()));
        services.AddMountPipeline(options, kubernetes, podWatch: false);
        var provider = services.BuildServiceProvider();
        try
        {
            provider.LoadFlagFiles(options);
            return new InProcessMountTransport(provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <remarks>Stopped by the caller, it answers Cancelled, which <see cref="MountSession"/> takes for the stop it is.</remarks>
    public async Task<MountResponse> MountAsync(MountRequest request, CancellationToken cancellationToken) =>
        (await MountResponses.AnswerAsync(_pipeline, _budget, MountAttributes.Read(request.Attributes), request.Permission, DateTime.MaxValue, _logger, cancellationToken).ConfigureAwait(false)).Response;

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    /// <summary>
    /// The provider's key only when named, so versions match the nodes'; unlike the provider, never a Secret
    /// created in whatever namespace the kubeconfig points at, which a one-off command has no business doing.
    /// </summary>
    private static IVersionKeySource VersionKeys(ProviderOptions options, KubernetesConnection.Result kubernetes, ILogger<KubernetesSecretVersionKeySource> logger) =>
        options switch
        {
            { HmacKeyFile: { } path } => new FileVersionKeySource(path),
            { HmacSecretNamespace: { } ns } => kubernetes.Client is { } client
                ? new KubernetesSecretVersionKeySource(client, ns, options.HmacSecretName, logger)
                : throw new MountSetupException($"-hmac-secret-namespace needs the Kubernetes API: {kubernetes.Description}"),
            _ => new RandomVersionKeySource(),
        };
}
