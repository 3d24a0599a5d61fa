using System.Text.Json.Nodes;

namespace Kubernetes.Emulator;

/// <summary>The field labels an event can be selected by, as core/v1 converts them and the event registry fills them.</summary>
internal static class EventFields
{
    /// <summary>pkg/apis/core/v1's field label conversion for Event: every supported label is kept as is.</summary>
    public static string? ConvertLabel(string label) => label switch
    {
        "involvedObject.kind" or "involvedObject.namespace" or "involvedObject.name" or "involvedObject.uid"
            or "involvedObject.apiVersion" or "involvedObject.resourceVersion" or "involvedObject.fieldPath"
            or "reason" or "reportingComponent" or "source" or "type" or "metadata.namespace" or "metadata.name" => label,
        _ => null,
    };

    public static bool Matches(this FieldSelector selector, JsonObject stored) => selector.Matches(field => Value(stored, field));

    /// <summary>The event registry's ToSelectableFields.</summary>
    private static string Value(JsonObject stored, string field) => field switch
    {
        "metadata.name" => EventJson.MetadataText(stored, "name"),
        "metadata.namespace" => EventJson.MetadataText(stored, "namespace"),
        "reason" or "type" => EventJson.Text(stored, field),
        "reportingComponent" => EventJson.Text(stored, "reportingComponent"),

        // An event from the events.k8s.io API has no source component, so its reporting controller stands in.
        "source" => JsonRead.String(stored["source"]?["component"]) is { Length: > 0 } component
            ? component
            : EventJson.Text(stored, "reportingComponent"),
        _ => EventJson.InvolvedText(stored, field["involvedObject.".Length..]),
    };
}
