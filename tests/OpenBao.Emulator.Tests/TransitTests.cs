using System.Text;

namespace OpenBao.Emulator.Tests;

public sealed class TransitTests : IAsyncLifetime
{
    private OpenBaoEmulator _emulator = null!;
    private ApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _emulator = await OpenBaoEmulator.StartAsync();
        _emulator.EnableTransit();
        _emulator.AddTransitKey("app");
        _emulator.AddTransitKey("other");
        _client = new ApiClient(_emulator) { Token = _emulator.RootToken };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task Decrypt_OwnCiphertext_RoundTrips()
    {
        var ciphertext = _emulator.TransitEncrypt("app", Encoding.UTF8.GetBytes("hello"));

        var reply = await _client.PostAsync("/v1/transit/decrypt/app", new { ciphertext });

        Assert.StartsWith("vault:v1:", ciphertext, StringComparison.Ordinal);
        Assert.Equal(200, reply.Status);
        Assert.Equal("hello", Encoding.UTF8.GetString(Convert.FromBase64String(reply.Data.GetProperty("plaintext").GetString()!)));
    }

    public static TheoryData<string, string, string> Failures => new()
    {
        // key, ciphertext ("app" = a real ciphertext of key app), message
        { "app", "", "missing ciphertext to decrypt" },
        { "missing", "vault:v1:AAAA", "encryption key not found" },
        { "app", "v1:AAAA", "invalid ciphertext: no prefix" },
        { "app", "vault:v1", "invalid ciphertext: wrong number of fields" },
        { "app", "vault:vX:AAAA", "invalid ciphertext: version number could not be decoded" },
        { "app", "vault:v2:AAAA", "invalid ciphertext: version is too new" },
        { "app", "vault:v1:%%%", "invalid ciphertext: could not decode base64" },
        { "other", "app", "cipher: message authentication failed" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Decrypt_Failure_Is400WithOpenBaoMessage(string key, string ciphertext, string message)
    {
        var sent = ciphertext == "app" ? _emulator.TransitEncrypt("app", [1, 2, 3]) : ciphertext;

        var reply = await _client.PostAsync($"/v1/transit/decrypt/{key}", new { ciphertext = sent });

        Assert.Equal(400, reply.Status);
        Assert.Equal([message], reply.Errors);
    }
}
