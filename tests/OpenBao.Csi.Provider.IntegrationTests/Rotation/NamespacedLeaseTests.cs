using OpenBao.Emulator;
using static OpenBao.Csi.Provider.IntegrationTests.Rotation.RotationHarness;

namespace OpenBao.Csi.Provider.IntegrationTests.Rotation;

/// <summary>
/// A dynamic secret read through a child namespace's path with a token of the parent: OpenBao renews its lease in
/// the child namespace, where only a policy granting that namespace's sys/leases/renew lets the renewal through.
/// </summary>
public sealed class NamespacedLeaseTests
{
    private const string ChildNamespaceObjects = "- objectName: db-user\n  secretPath: team-a/database/creds/shop-db\n  secretKey: username\n";

    private static async Task<RotationHarness> StartInChildNamespaceAsync(bool grantRenewalThere)
    {
        var harness = await StartAsync(databaseTtl: TimeSpan.FromMinutes(30));
        harness.Bao.AddNamespace("team-a");
        harness.Bao.EnableDatabase(ns: "team-a");
        harness.Bao.AddDatabaseRole("shop-db", TimeSpan.FromMinutes(30), TimeSpan.FromHours(24), ns: "team-a");
        PolicyRule[] rules = [new("team-a/database/creds/shop-db", "read")];
        harness.Bao.AddPolicy("shop", grantRenewalThere ? [.. rules, new("team-a/sys/leases/renew", "update")] : rules);
        return harness;
    }

    private static async Task PollForAnHourAsync(RotationHarness harness)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(1); elapsed += TimeSpan.FromMinutes(2))
        {
            await harness.PollAsync(ChildNamespaceObjects);
            await harness.AdvanceAsync(TimeSpan.FromMinutes(2));
        }
    }

    [Fact]
    public async Task PolicyGrantsTheChildNamespacesRenewal_OneCredentialRenewed()
    {
        await using var harness = await StartInChildNamespaceAsync(grantRenewalThere: true);

        await PollForAnHourAsync(harness);

        var leases = harness.Bao.GetLeaseStatistics("team-a/database/creds/");
        Assert.Equal(1, leases.Issued);
        Assert.True(leases.Renewed >= 1, $"renewed {leases.Renewed} times");
    }

    [Fact]
    public async Task OnlyTheDefaultPolicy_RenewalRefusedThere_ReissuedAndTheLogSaysWhichGrantIsMissing()
    {
        await using var harness = await StartInChildNamespaceAsync(grantRenewalThere: false);

        await PollForAnHourAsync(harness);

        Assert.True(harness.Bao.GetLeaseStatistics("team-a/database/creds/").Issued >= 2);
        Assert.Contains(harness.Logs.Lines, line =>
            line.Contains("OpenBao refused to renew the lease", StringComparison.Ordinal)
            && line.Contains("the role's policies need update on that namespace's sys/leases/renew", StringComparison.Ordinal));
    }
}
