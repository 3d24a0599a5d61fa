using System.Text.Json;
using Grpc.Core;
using OpenBao.Csi.Provider.IntegrationTests.Infrastructure;

namespace OpenBao.Csi.Provider.IntegrationTests;

/// <summary>
/// No secret value, JWT or OpenBao token in the provider's logs or in errors sent to the driver.
/// This test checks what has been logged so far after provoking every kind of failure itself;
/// the collection fixture checks the whole suite's logs again when it is disposed.
/// </summary>
[Collection(ProviderCollection.Name)]
public sealed class LeakTests(ProviderFixture fixture)
{
    [Fact]
    public async Task Logs_AfterSuccessesAndFailures_HoldNoSecrets()
    {
        await fixture.MountAsync(fixture.ShopMount(ProviderFixture.PasswordObject));
        var dynamic = await fixture.MountAsync(fixture.ShopMount("- objectName: db.json\n  secretPath: database/creds/shop-db"));
        using (var json = JsonDocument.Parse(dynamic.Files.Single().Contents.ToByteArray()))
        {
            fixture.Witness.Remember(json.RootElement.GetProperty("data").GetProperty("password").GetString()!);
        }

        var failures = new[]
        {
            "- objectName: pw\n  secretPath: secret/data/shop/db\n  secretKey: password\n  encoding: base64",
            "- objectName: pw\n  secretPath: secret/data/shop/db\n  secretKey: password\n  encoding: hex",
            "- objectName: pw\n  secretPath: secret/data/bank/vault\n  secretKey: gold",
            "- objectName: pw\n  secretPath: secret/data/shop/db\n  secretKey: missing",
        };
        foreach (var objects in failures)
        {
            await Assert.ThrowsAsync<RpcException>(() => fixture.MountAsync(fixture.ShopMount(objects)));
        }

        var wrongRole = fixture.ShopMount("- objectName: pw\n  secretPath: secret/data/shop/db").WithParameter("roleName", "nope");
        await Assert.ThrowsAsync<RpcException>(() => fixture.MountAsync(wrongRole));

        Assert.NotEmpty(fixture.Logs.Lines);
        Assert.Empty(fixture.Witness.FindLeaks(fixture.Logs.Lines));
    }
}
