using System.Text.Json;
using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Rendering;

/// <summary>The key-value pairs a key-value format writes: all of the secret, or <c>keys:</c> in their order.</summary>
internal static class SecretEntries
{
    /// <exception cref="RenderException">A listed key is missing (NotFound).</exception>
    public static IReadOnlyList<(string Key, JsonElement Value)> Select(SecretObject secret, JsonElement data)
    {
        if (secret.Keys is null)
        {
            return [.. data.EnumerateObject().Select(p => (p.Name, p.Value))];
        }

        var selected = new List<(string, JsonElement)>(secret.Keys.Count);
        foreach (var key in secret.Keys)
        {
            selected.Add(data.TryGetProperty(key, out var value)
                ? (key, value)
                : throw new RenderException($"object '{secret.ObjectName}': key '{key}' listed in keys does not exist in the secret at {secret.SecretPath}", keyMissing: true));
        }

        return selected;
    }
}
