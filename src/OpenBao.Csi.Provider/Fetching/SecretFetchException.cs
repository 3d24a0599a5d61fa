namespace OpenBao.Csi.Provider.Fetching;

/// <summary>A read failed; names the objects that depended on it. The cause is the OpenBao or transport error.</summary>
internal sealed class SecretFetchException(IReadOnlyList<string> objectNames, SecretRequestKey request, Exception inner)
    : Exception($"{Describe(objectNames)} ({request}): {inner.Message}", inner)
{
    private static string Describe(IReadOnlyList<string> names) =>
        names.Count == 1 ? $"object '{names[0]}'" : $"objects {string.Join(", ", names.Select(n => $"'{n}'"))}";
}
