using OpenBao.Emulator.Internal.Http;
using OpenBao.Emulator.Internal.Policies;

namespace OpenBao.Emulator.Tests;

public sealed class PolicyTests
{
    public static TheoryData<string, string, string, bool> AclCases => new()
    {
        // policies ("path:caps" per rule, "|" between policies), path, operation, allowed
        { "secret/data/*:read", "secret/data/app", "read", true },
        { "secret/data/*:read", "secret/data", "read", false },
        { "secret/data/*:read", "secret/data/app", "update", false },
        { "secret/data/app*:read", "secret/data/app-prod/x", "read", true },
        { "secret/+/app:read", "secret/data/app", "read", true },
        { "secret/+/app:read", "secret/data/x/app", "read", false },
        { "secret/+/app*:read", "secret/data/app/deep", "read", true },
        { "secret/data/*:read|secret/data/app:list", "secret/data/app", "read", false },
        { "secret/data/app:read|secret/data/app:deny", "secret/data/app", "read", false },
        { "secret/*:deny|secret/data/*:read", "secret/data/app", "read", true },
        { "secret/data/*:deny|secret/+/app:read", "secret/data/app", "read", false },
        { "secret/data/*:deny|secret/data/+:read", "secret/data/app", "read", true },
        { "secret/+/+:deny|secret/+/app:read", "secret/data/app", "read", true },
        { "secret/data/a*:deny|secret/data/app*:read", "secret/data/app", "read", true },
        { "sys/leases/renew:read", "sys/leases/renew", "update", false },
        { "secret/data/app:create", "secret/data/app", "update", false },
        { "secret/metadata/:list", "secret/metadata/", "list", true },
        { "secret/metadata/shop:list", "secret/metadata/shop/", "list", true },
        { "secret/metadata/shop/*:list", "secret/metadata/shop/", "list", true },
        { "secret/metadata/shop*:list", "secret/metadata/shop/", "list", true },
        { "secret/metadata/+:list", "secret/metadata/shop/", "list", true },
        { "secret/metadata/+:read", "secret/metadata/shop/", "read", false },
        { "secret/metadata/+:list", "secret/metadata/shop/team/", "list", false },
        { "secret/metadata/shop/*:deny|secret/metadata/+:list", "secret/metadata/shop/", "list", false },
        { "secret/metadata/shop/*:read|secret/metadata/+:list", "secret/metadata/shop/", "list", false },
    };

    [Theory]
    [MemberData(nameof(AclCases))]
    public void Acl_Matches_LikeOpenBao(string policies, string path, string operation, bool allowed)
    {
        var rules = policies.Split('|').Select(rule => rule.Split(':')).Select(parts => new PolicyRule(parts[0], parts[1].Split(',')));

        var acl = Acl.Build("", rules);

        Assert.Equal(allowed, acl.Allows(path, Enum.Parse<Operation>(operation, ignoreCase: true)));
    }

    [Fact]
    public void Acl_NamespacePolicy_IsRelativeToItsNamespace()
    {
        var acl = Acl.Build("team-a/", [new PolicyRule("secret/*", "read")]);

        Assert.True(acl.Allows("team-a/secret/x", Operation.Read));
        Assert.False(acl.Allows("secret/x", Operation.Read));
    }

    [Fact]
    public async Task AddPolicy_UnknownCapability_Throws()
    {
        await using var emulator = await OpenBaoEmulator.StartAsync();

        Assert.Throws<ArgumentException>(() => emulator.AddPolicy("bad", new PolicyRule("secret/*", "write")));
    }

    [Theory]
    [InlineData("/v1/secret/data/shop/db", 200)]
    [InlineData("/v1/secret/data/shop/other", 403)]
    [InlineData("/v1/secret/data/billing/db", 403)]
    public async Task Http_Read_EnforcesPoliciesOfTheLoginToken(string path, int status)
    {
        await using var emulator = await Seed.StartAsync(policies: "shop");
        emulator.EnableKvV2();
        foreach (var secret in (string[])["shop/db", "shop/other", "billing/db"])
        {
            emulator.PutKvV2("secret", secret, new Dictionary<string, object?> { ["k"] = "v" });
        }

        emulator.AddPolicy("shop", new PolicyRule("secret/data/shop/*", "read"), new PolicyRule("secret/data/shop/other", "deny"));
        using var client = await Seed.LoginAsync(emulator);

        var reply = await client.GetAsync(path);

        Assert.Equal(status, reply.Status);
    }
}
