using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OpenBao.Emulator.Tests;

/// <summary>A plain HttpClient speaking to the emulator the way any OpenBao client would.</summary>
internal sealed class ApiClient(OpenBaoEmulator emulator, HttpMessageHandler? handler = null) : IDisposable
{
    private readonly HttpClient _http = new(handler ?? new HttpClientHandler()) { BaseAddress = emulator.Address };

    public string? Token { get; set; }

    public string? Namespace { get; set; }

    public Task<ApiReply> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<ApiReply> PostAsync(string path, object? body = null) => SendAsync(HttpMethod.Post, path, body);

    public Task<ApiReply> PutAsync(string path, object? body = null) => SendAsync(HttpMethod.Put, path, body);

    public async Task<ApiReply> SendAsync(HttpMethod method, string path, object? body = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (Token is not null)
        {
            request.Headers.Add("X-Vault-Token", Token);
        }

        if (Namespace is not null)
        {
            request.Headers.Add("X-Vault-Namespace", Namespace);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        return await SendAsync(request, cancellationToken);
    }

    public async Task<ApiReply> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new ApiReply((int)response.StatusCode, text, response.Headers.CacheControl);
    }

    /// <summary>Logs in through kubernetes auth and keeps the token for later calls.</summary>
    public async Task<ApiReply> LoginAsync(string role, string jwt, string mount = "kubernetes")
    {
        var reply = await PostAsync($"/v1/auth/{mount}/login", new { role, jwt });
        Assert.True(reply.Status == 200, reply.Body);
        Token = reply.Json.GetProperty("auth").GetProperty("client_token").GetString();
        return reply;
    }

    public void Dispose() => _http.Dispose();
}

internal sealed record ApiReply(int Status, string Body, CacheControlHeaderValue? CacheControl)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public JsonElement Data => Json.GetProperty("data");

    public IReadOnlyList<string> Errors => [.. Json.GetProperty("errors").EnumerateArray().Select(error => error.GetString()!)];

    public IReadOnlyList<string> Warnings => Json.GetProperty("warnings") is { ValueKind: JsonValueKind.Array } warnings
        ? [.. warnings.EnumerateArray().Select(warning => warning.GetString()!)]
        : [];
}
