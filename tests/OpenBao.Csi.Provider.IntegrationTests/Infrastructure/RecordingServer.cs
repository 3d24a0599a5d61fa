using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OpenBao.Csi.Provider.IntegrationTests.Infrastructure;

/// <summary>
/// A plain HTTP server on loopback that records every request it gets (path, token header, body) and
/// answers with one fixed response: a redirecting standby, or a host that must never see a token.
/// </summary>
internal sealed class RecordingServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordingServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public ConcurrentQueue<(string Path, string? Token, string Body)> Requests { get; } = new();

    /// <summary>Answers every request with <paramref name="status"/>, plus a Location built from the request when given.</summary>
    public static Task<RecordingServer> StartAsync(int status, Func<HttpRequest, string>? location = null) =>
        StartAsync(context =>
        {
            context.Response.StatusCode = status;
            if (location is not null)
            {
                context.Response.Headers.Location = location(context.Request);
            }

            return Task.CompletedTask;
        });

    /// <summary>Records each request, then lets <paramref name="respond"/> answer it (or hold it).</summary>
    public static async Task<RecordingServer> StartAsync(Func<HttpContext, Task> respond)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        RecordingServer? server = null;
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            server!.Requests.Enqueue((context.Request.Path + context.Request.QueryString, context.Request.Headers["X-Vault-Token"].FirstOrDefault(), body));
            await respond(context);
        });
        await app.StartAsync();
        server = new RecordingServer(app, new Uri(app.Urls.Single()));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
