using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenBao.Emulator;

namespace OpenBao.Csi.Provider.Demo;

/// <summary>
/// OpenBao read without the provider, over one pooled keep-alive HTTP/1.1 client as the provider
/// reads it: what a mount is measured against.
/// </summary>
internal sealed class DirectOpenBao : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _token;

    private DirectOpenBao(HttpClient http, string token)
    {
        _http = http;
        _token = token;
    }

    /// <summary>Logs in once as the demo's service account, so reads carry a token with the pods' policy.</summary>
    public static Task<DirectOpenBao> LoginAsync(OpenBaoEmulator bao) =>
        LoginAsync(bao.Address, DemoEnvironment.MintToken(bao));

    /// <summary>Logs in once with <paramref name="jwt"/>, a token of the demo's service account.</summary>
    public static async Task<DirectOpenBao> LoginAsync(Uri openBao, string jwt)
    {
        var http = new HttpClient { BaseAddress = openBao };
        try
        {
            using var response = await http.PostAsJsonAsync("v1/auth/kubernetes/login", new JsonObject { ["role"] = "app", ["jwt"] = jwt });
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonObject>();
            return new DirectOpenBao(http, body!["auth"]!["client_token"]!.GetValue<string>());
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>A GET of an API path such as <c>secret/data/shop/db</c>, body read to the end.</summary>
    public async Task ReadAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/" + path);
        request.Headers.Add("X-Vault-Token", _token);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    public void Dispose() => _http.Dispose();
}
