using System.Text.Json;

namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>Turns an OpenBao error body into the strings an operator needs to see.</summary>
internal static class OpenBaoErrorReader
{
    public static IReadOnlyList<string> Read(int status, byte[] body)
    {
        var errors = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return errors;
            }

            AddStrings(root, "errors", errors);
            // A 404 with an envelope instead of errors is KV v2 describing a deleted version or a v1-style path on a v2 mount.
            AddStrings(root, "warnings", errors);
            if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                && data.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
            {
                AddDeletionState(metadata, errors);
            }
        }
        catch (JsonException)
        {
            if (body.Length > 0 && status >= 500)
            {
                errors.Add($"non-JSON error body of {body.Length} bytes");
            }
        }

        return errors;
    }

    private static void AddStrings(JsonElement root, string property, List<string> into)
    {
        if (root.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array)
        {
            into.AddRange(list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
        }
    }

    private static void AddDeletionState(JsonElement metadata, List<string> into)
    {
        var version = metadata.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
        if (metadata.TryGetProperty("destroyed", out var destroyed) && destroyed.ValueKind == JsonValueKind.True)
        {
            into.Add($"version {version} of this secret is destroyed");
        }
        else if (metadata.TryGetProperty("deletion_time", out var deleted) && deleted.ValueKind == JsonValueKind.String
            && deleted.GetString() is { Length: > 0 } when)
        {
            into.Add($"version {version} of this secret was deleted at {when}");
        }
    }
}
