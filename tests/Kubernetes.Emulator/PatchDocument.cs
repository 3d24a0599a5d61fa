using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kubernetes.Emulator;

/// <summary>
/// A PATCH body as the API server's patch handler takes it: the Content-Type (parameters cut at the first
/// ';') picks JSON patch, JSON merge patch or strategic merge patch, and the body is decoded before the
/// object is looked up. Server-side apply is refused loudly rather than imitated.
/// </summary>
internal sealed class PatchDocument
{
    public const string JsonPatch = "application/json-patch+json";
    public const string MergePatch = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string ApplyPatch = "application/apply-patch+yaml";

    /// <summary>In the order of the API server's 415 message for a built-in resource.</summary>
    private static readonly string[] AcceptedMediaTypes = [JsonPatch, MergePatch, StrategicMergePatch, ApplyPatch];

    /// <summary>Lists whose strategic merge is by element, not replacement, among the fields the fake stores.</summary>
    private static readonly string[] MergedMetadataLists = ["finalizers", "ownerReferences"];

    private readonly string _mediaType;
    private readonly JsonNode? _body;

    private PatchDocument(string mediaType, JsonNode? body)
    {
        _mediaType = mediaType;
        _body = body;
    }

    public static bool IsAccepted(string? contentType) => AcceptedMediaTypes.Contains(MediaType(contentType), StringComparer.Ordinal);

    public static ApiResponse Unsupported() => KubernetesStatus.UnsupportedMediaType(AcceptedMediaTypes);

    /// <returns>The patch, or the 415 or 400 the handler answers before it reads the object.</returns>
    public static (PatchDocument? Patch, ApiResponse? Failure) Parse(string? contentType, byte[] body)
    {
        if (!IsAccepted(contentType))
        {
            return (null, Unsupported());
        }

        var mediaType = MediaType(contentType);

        if (mediaType == ApplyPatch)
        {
            return (null, KubernetesStatus.BadRequest("the fake Kubernetes API server does not implement server-side apply"));
        }

        // The strategic merge decoder's errors go out bare; the other two say what they were decoding.
        var prefix = mediaType == StrategicMergePatch ? string.Empty : "error decoding patch: ";
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException exception)
        {
            // Go's text for the commonest case, an empty body; other syntax errors keep .NET's wording.
            var reason = body.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') ? "unexpected end of JSON input" : exception.Message;
            return (null, KubernetesStatus.BadRequest(prefix + reason));
        }

        var shapeError = mediaType == JsonPatch ? JsonPatchShapeError(node) : MapShapeError(node);
        if (shapeError is not null)
        {
            return (null, KubernetesStatus.BadRequest(prefix + shapeError));
        }

        if (mediaType == MergePatch && node is null)
        {
            // evanphx/json-patch's ErrBadJSONPatch, for a patch that decodes to no document at all.
            return (null, KubernetesStatus.BadRequest("Invalid JSON Patch"));
        }

        if (mediaType == StrategicMergePatch && UnimplementedStrategy(node) is { } unimplemented)
        {
            return (null, KubernetesStatus.BadRequest($"the fake Kubernetes API server does not implement strategic merge of {unimplemented}"));
        }

        return (new PatchDocument(mediaType, node), null);
    }

    /// <summary>
    /// The patched document. Merge and strategic merge patches merge objects and replace everything else
    /// (for an Event's fields strategic merge adds nothing); a JSON patch that cannot be applied is a 422.
    /// </summary>
    public (JsonNode? Result, ApiResponse? Failure) Apply(JsonObject current)
    {
        if (_mediaType != JsonPatch)
        {
            return (Merge(current.DeepClone(), _body), null);
        }

        JsonNode? document = current.DeepClone();
        foreach (var operation in (_body as JsonArray ?? []).Select(o => o as JsonObject ?? []))
        {
            if (!JsonPatchOperation.TryApply(ref document, operation))
            {
                return (null, KubernetesStatus.RejectedRequest());
            }
        }

        return (document, null);
    }

    /// <summary>
    /// How the handler shows a patch whose result does not decode: the patched JSON for merge and JSON
    /// patches, the decoded patch itself (Go's %+v) for a strategic merge.
    /// </summary>
    public string Describe(JsonNode? result) => _mediaType == StrategicMergePatch ? GoFormat.Value(_body) : GoFormat.Json(result);

    private static string MediaType(string? contentType)
    {
        var mediaType = contentType ?? string.Empty;
        var parameters = mediaType.IndexOf(';', StringComparison.Ordinal);
        return parameters > 0 ? mediaType[..parameters] : mediaType;
    }

    /// <summary>RFC 7386: null removes, objects merge key by key, anything else replaces.</summary>
    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            // Only a strategic merge patch of JSON null gets here, and it changes nothing.
            return patch is null ? target : patch.DeepClone();
        }

        var merged = target as JsonObject ?? [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = Merge(merged[key]?.DeepClone(), value);
            }
        }

        return merged;
    }

    private static string? MapShapeError(JsonNode? node) =>
        node is null or JsonObject ? null : $"json: cannot unmarshal {GoJsonReader.KindName(node)} into Go value of type map[string]interface {{}}";

    /// <summary>The handler first decodes a JSON patch into its own []jsonPatchOp, so shapes are checked before any operation runs.</summary>
    private static string? JsonPatchShapeError(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray operations)
        {
            return $"json: cannot unmarshal {GoJsonReader.KindName(node)} into Go value of type []handlers.jsonPatchOp";
        }

        var go = new GoJsonReader();
        foreach (var operation in operations)
        {
            if (operation is not (null or JsonObject))
            {
                return $"json: cannot unmarshal {GoJsonReader.KindName(operation)} into Go value of type handlers.jsonPatchOp";
            }

            foreach (var field in (string[])["op", "path", "from"])
            {
                go.String(operation as JsonObject, field, "jsonPatchOp", field);
            }
        }

        return go.Error;
    }

    /// <summary>
    /// Directives ($patch, $retainKeys, ...) and the metadata lists strategic merge joins element by element
    /// would need the real algorithm; a patch that uses them is refused instead of merged wrongly.
    /// </summary>
    private static string? UnimplementedStrategy(JsonNode? node)
    {
        if (node?["metadata"] is JsonObject metadata && MergedMetadataLists.FirstOrDefault(metadata.ContainsKey) is { } list)
        {
            return $"metadata.{list}";
        }

        return Directive(node);

        static string? Directive(JsonNode? node) => node switch
        {
            JsonObject map => map.Select(p => p.Key.StartsWith('$') ? p.Key : Directive(p.Value)).FirstOrDefault(d => d is not null),
            JsonArray array => array.Select(Directive).FirstOrDefault(d => d is not null),
            _ => null,
        };
    }
}
