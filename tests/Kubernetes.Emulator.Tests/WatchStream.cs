using System.Text.Json.Nodes;

namespace Kubernetes.Emulator.Tests;

/// <summary>
/// A watch read the way the provider reads one: a raw GET, then one JSON event per line. Every read
/// waits for the next line with a timeout instead of sleeping, so ordering alone proves absences.
/// </summary>
internal sealed class WatchStream : IDisposable
{
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly StreamReader _reader;

    private WatchStream(HttpClient http, HttpResponseMessage response, StreamReader reader)
    {
        _http = http;
        Response = response;
        _reader = reader;
    }

    public HttpResponseMessage Response { get; }

    public static async Task<WatchStream> OpenAsync(FakeKubernetesApi api, string pathAndQuery)
    {
        var http = ApiHttp.Create(api);
        try
        {
            var response = await http.GetAsync(new Uri(pathAndQuery, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            return new WatchStream(http, response, reader);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <returns>The next line, or null when the server ended the body cleanly.</returns>
    public async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(LineTimeout);
        return await _reader.ReadLineAsync(timeout.Token);
    }

    public async Task<JsonObject> NextAsync()
    {
        var line = await ReadLineAsync();
        Assert.NotNull(line);
        return JsonNode.Parse(line)!.AsObject();
    }

    /// <summary>Asserts the next event's type and pod name, and returns its object.</summary>
    public async Task<JsonObject> NextAsync(string type, string name)
    {
        var next = await NextAsync();
        Assert.Equal((type, name), (WatchEvent.Type(next), WatchEvent.Name(next)));
        return next["object"]!.AsObject();
    }

    public void Dispose()
    {
        _reader.Dispose();
        Response.Dispose();
        _http.Dispose();
    }
}
