namespace OpenBao.Emulator.Internal.Policies;

/// <summary>A namespace's named ACL policies; <c>default</c> is there from the start, as in OpenBao.</summary>
internal sealed class PolicyStore
{
    public const string DefaultPolicyName = "default";
    public const string RootPolicyName = "root";

    private static readonly PolicyRule[] DefaultPolicyRules =
    [
        new("auth/token/lookup-self", "read"),
        new("auth/token/renew-self", "update"),
        new("auth/token/revoke-self", "update"),
        new("sys/capabilities-self", "update"),
        new("sys/leases/renew", "update"),
        new("sys/leases/lookup", "update"),
    ];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, IReadOnlyList<PolicyRule>> _policies = new(StringComparer.Ordinal)
    {
        [DefaultPolicyName] = DefaultPolicyRules,
    };

    public void Set(string name, IReadOnlyList<PolicyRule> rules)
    {
        if (name == RootPolicyName)
        {
            throw new InvalidOperationException("cannot update \"root\" policy");
        }

        foreach (var rule in rules)
        {
            _ = Acl.ParseCapabilities(rule);
        }

        lock (_gate)
        {
            _policies[name] = [.. rules];
        }
    }

    /// <summary>The rules of every named policy that exists; unknown names grant nothing, as in OpenBao.</summary>
    public IReadOnlyList<PolicyRule> RulesOf(IEnumerable<string> names)
    {
        lock (_gate)
        {
            return [.. names.SelectMany(name => _policies.TryGetValue(name, out var rules) ? rules : [])];
        }
    }
}
