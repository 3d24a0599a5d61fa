using Microsoft.AspNetCore.Server.Kestrel.Https;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace OpenBao.Emulator.Internal.Http;

/// <summary>Kestrel on 127.0.0.1 and a free port, real sockets, nothing but the emulator's handler.</summary>
internal sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmulatorServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <param name="certificate">Serve HTTPS with it; null for plain HTTP.</param>
    /// <param name="unixSocketPath">Also serve plain HTTP on this Unix socket, as an OpenBao Agent listener does.</param>
    /// <param name="serverNameAsked">Told the TLS server name (SNI) each HTTPS connection asks for.</param>
    public static async Task<EmulatorServer> StartAsync(RequestDelegate handler, X509Certificate2? certificate, string? unixSocketPath, Action<string?> serverNameAsked)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificateSelector = (_, serverName) =>
                        {
                            serverNameAsked(serverName);
                            return certificate;
                        },
                    });
                }
            });
            if (unixSocketPath is not null)
            {
                kestrel.ListenUnixSocket(unixSocketPath);
            }
        });

        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single(a => !a.StartsWith("http://unix:", StringComparison.Ordinal));
        var port = new Uri(bound).Port;
        return new EmulatorServer(app, new Uri($"{(certificate is null ? "http" : "https")}://127.0.0.1:{port}"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
