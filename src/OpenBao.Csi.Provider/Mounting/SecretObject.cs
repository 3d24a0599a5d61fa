namespace OpenBao.Csi.Provider.Mounting;

/// <summary>One entry of the SecretProviderClass <c>objects</c> list, validated.</summary>
/// <param name="SecretPath">Path below <c>/v1/</c>, without leading slash or query; empty for a template that reads nothing.</param>
/// <param name="Query">Query string from <c>secretPath</c> after <c>?</c>, or null.</param>
/// <param name="SecretArgs">JSON object text for the request body, or null.</param>
/// <param name="FileMode">From <c>filePermission</c>, permission bits only; null when unset or zero (Go's unset).</param>
/// <param name="LeasePolicy">From <c>leasePolicy</c>: keep a dynamic secret while its lease lives, or read anew on every poll.</param>
/// <param name="Format">From <c>format</c>: the name of a <see cref="Rendering.IFileFormat"/> that writes the whole secret; null writes a key or the envelope.</param>
/// <param name="Keys">From <c>keys</c>: which keys of the secret a key-value format writes, in this order; null writes all.</param>
/// <param name="Pkcs12Password">From <c>pkcs12Password</c>; a secret of the SecretProviderClass, never logged.</param>
/// <param name="Template">From <c>template</c>: the file is this Liquid template's output.</param>
/// <param name="Render">From <c>render</c>: false for an object that only feeds templates (no file, no version).</param>
/// <param name="Folder">A <c>secretPath</c> ending in <c>/*</c>: every secret directly under <see cref="SecretPath"/> (the folder, without <c>/*</c>).</param>
/// <param name="VersionHistory">From <c>versionHistory</c>: how many of the latest live KV v2 versions to write.</param>
internal sealed record SecretObject(
    string ObjectName,
    string SecretPath,
    string? Query,
    string? SecretKey,
    string Method,
    string? SecretArgs,
    SecretEncoding Encoding,
    int? FileMode,
    LeasePolicy LeasePolicy = LeasePolicy.Reuse,
    string? Format = null,
    IReadOnlyList<string>? Keys = null,
    string? Pkcs12Password = null,
    Rendering.SecretTemplate? Template = null,
    bool Render = true,
    bool Folder = false,
    int? VersionHistory = null)
{
    /// <summary>Objects whose files come from several reads: every secret of a folder, or the last versions of one secret.</summary>
    public bool Expands => Folder || VersionHistory is not null;

    /// <summary>False for a template that only combines other objects: nothing is read for it.</summary>
    public bool Reads => SecretPath.Length > 0;

    // The generated ToString would print the PKCS#12 password.
    public override string ToString() =>
        $"SecretObject({ObjectName}, {Method} {SecretPath}{(Query is null ? "" : "?" + Query)}, key={SecretKey ?? "-"}, format={Format ?? "-"})";
}
