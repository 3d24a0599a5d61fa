namespace OpenBao.Csi.Provider.Mounting;

/// <summary>
/// A KV v2 path: <c>&lt;mount&gt;/data/&lt;path&gt;</c>. The mount is taken as the first segment, as in
/// <c>secret/data/app</c>; a KV v2 engine mounted at a nested path is not recognised.
/// </summary>
internal sealed record KvV2Path(string Mount, string Path)
{
    public static KvV2Path? Of(string secretPath)
    {
        var parts = secretPath.Split('/', 3);
        return parts.Length == 3 && parts[1] == "data" && parts[2].Length > 0 ? new KvV2Path(parts[0], parts[2]) : null;
    }

    public string Data => $"{Mount}/data/{Path}";

    public string Metadata => $"{Mount}/metadata/{Path}";
}
