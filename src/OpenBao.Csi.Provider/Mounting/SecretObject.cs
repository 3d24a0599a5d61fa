namespace OpenBao.Csi.Provider.Mounting;

/// <summary>One entry of the SecretProviderClass <c>objects</c> list, validated.</summary>
/// <param name="SecretPath">Path below <c>/v1/</c>, without leading slash or query.</param>
/// <param name="Query">Query string from <c>secretPath</c> after <c>?</c>, or null.</param>
/// <param name="SecretArgs">JSON object text for the request body, or null.</param>
/// <param name="FileMode">From <c>filePermission</c>; null when unset or zero.</param>
/// <param name="LeasePolicy">From <c>leasePolicy</c>: keep a dynamic secret while its lease lives, or read anew on every poll.</param>
internal sealed record SecretObject(
    string ObjectName,
    string SecretPath,
    string? Query,
    string? SecretKey,
    string Method,
    string? SecretArgs,
    SecretEncoding Encoding,
    int? FileMode,
    LeasePolicy LeasePolicy = LeasePolicy.Reuse);
