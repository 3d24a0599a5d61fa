namespace OpenBao.Emulator.Internal;

/// <summary>A secrets engine's or auth method's roles by name, safe for concurrent requests and seeding.</summary>
/// <param name="names">How role names compare: exactly for most backends.</param>
internal sealed class RoleTable<TRole>(StringComparer names)
    where TRole : class
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TRole> _roles = new(names);

    public RoleTable()
        : this(StringComparer.Ordinal)
    {
    }

    public void Add(string name, TRole role)
    {
        lock (_gate)
        {
            _roles[name] = role;
        }
    }

    public TRole? Find(string name)
    {
        lock (_gate)
        {
            return _roles.GetValueOrDefault(name);
        }
    }

    /// <summary>The role named after <paramref name="prefix"/> in a path like <c>creds/&lt;role&gt;</c>, or null when the path has another shape.</summary>
    public static string? RoleNameAfter(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.Ordinal) && path.Length > prefix.Length ? path[prefix.Length..] : null;
}
