using System.Net.Sockets;
using Csi.Driver.Emulator;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Hosting;
using OpenBao.Csi.Provider.V1Alpha1;

namespace OpenBao.Csi.Provider.IntegrationTests.Infrastructure;

/// <summary>
/// The real provider host (the same <see cref="ProviderHost.Build"/> as the binary) serving on a
/// real Unix socket in a temp folder, with a gRPC client dialling it the way the driver does.
/// </summary>
internal sealed class ProviderProcess : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private ProviderProcess(WebApplication app, string socketPath, int healthPort)
    {
        _app = app;
        SocketPath = socketPath;
        HealthPort = healthPort;
        _channel = DriverChannel.Create(socketPath);
        Client = DriverAcceptance.Client(_channel);
    }

    public string SocketPath { get; }

    public int HealthPort { get; }

    public CSIDriverProvider.CSIDriverProviderClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<ProviderProcess> StartAsync(
        CapturedLogs logs,
        Action<ProviderOptions>? configure = null,
        Action<IServiceCollection>? services = null)
    {
        var directory = Directory.CreateTempSubdirectory("openbao-csi-");
        var healthPort = LoopbackPort.Free();
        var options = new ProviderOptions
        {
            Endpoint = Path.Combine(directory.FullName, "openbao.sock"),
            HealthAddress = new HealthAddress("127.0.0.1", healthPort),
            LogLevel = LogLevel.Trace,
            ShutdownTimeout = TimeSpan.FromSeconds(5),
            // Hermetic: no KUBECONFIG or ~/.kube/config of the machine running the tests.
            Environment = _ => null,
        };
        configure?.Invoke(options);
        var app = ProviderHost.Build(options, collection =>
        {
            collection.AddLogging(logging => logging.AddProvider(logs));
            services?.Invoke(collection);
        });
        await app.StartAsync();
        return new ProviderProcess(app, options.Endpoint, healthPort);
    }

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        var directory = Path.GetDirectoryName(SocketPath)!;
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
