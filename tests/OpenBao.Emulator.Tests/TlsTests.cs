using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace OpenBao.Emulator.Tests;

public sealed class TlsTests
{
    [Fact]
    public async Task UseTls_ServesHttpsTrustedThroughTheCaPem()
    {
        await using var emulator = await OpenBaoEmulator.StartAsync(new EmulatorOptions { UseTls = true });
        using var ca = X509Certificate2.CreateFromPem(emulator.CaCertificatePem);
        SslPolicyErrors? seenErrors = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
            {
                seenErrors = errors;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None && chain.Build(certificate!);
            },
        };
        using var client = new ApiClient(emulator, handler);

        var reply = await client.GetAsync("/v1/sys/health");

        Assert.Equal("https", emulator.Address.Scheme);
        Assert.Equal(200, reply.Status);
        Assert.False(seenErrors!.Value.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch));
    }

    [Fact]
    public async Task WithoutTls_PlainHttpAndNoCa()
    {
        await using var emulator = await OpenBaoEmulator.StartAsync();

        Assert.Equal("http", emulator.Address.Scheme);
        Assert.Equal("127.0.0.1", emulator.Address.Host);
        Assert.Null(emulator.CaCertificatePem);
    }
}
