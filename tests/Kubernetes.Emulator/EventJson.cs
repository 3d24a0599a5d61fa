using System.Text.Json.Nodes;

namespace Kubernetes.Emulator;

/// <summary>
/// core/v1 Events as the API server decodes and serializes them: only the Go struct's fields survive, each
/// of its Go type and in the struct's order; zero times are null, empty strings and a zero count are
/// omitted, and <c>involvedObject</c>, <c>source</c>, <c>reportingComponent</c> and <c>reportingInstance</c>
/// are always written, as their tags say.
/// </summary>
internal static class EventJson
{
    private static readonly string[] TypedMetadataStrings = ["name", "generateName", "namespace", "uid", "resourceVersion"];

    /// <summary>
    /// Decodes a create's body, or a patch's result, into the Event the server would hold. Metadata is
    /// type-checked and kept as sent, for the endpoint to rebuild with the server's fields.
    /// </summary>
    /// <returns>The event, or the decoder's error text.</returns>
    public static (JsonObject? Event, string? Error) Decode(JsonObject body)
    {
        var go = new GoJsonReader();
        var metadata = go.Struct(body, "metadata", "Event", "metadata", "v1.ObjectMeta");
        foreach (var key in TypedMetadataStrings)
        {
            go.String(metadata, key, "ObjectMeta", $"metadata.{key}");
        }

        go.StringMap(metadata, "labels", "ObjectMeta", "metadata.labels");
        go.StringMap(metadata, "annotations", "ObjectMeta", "metadata.annotations");

        var involved = go.Struct(body, "involvedObject", "Event", "involvedObject", "v1.ObjectReference");
        var json = new JsonObject
        {
            ["kind"] = "Event",
            ["apiVersion"] = "v1",
            ["metadata"] = metadata?.DeepClone() ?? new JsonObject(),
            ["involvedObject"] = Reference(go, involved, "involvedObject"),
        };
        PutString(json, "reason", go.String(body, "reason", "Event", "reason"));
        PutString(json, "message", go.String(body, "message", "Event", "message"));

        var requestedSource = go.Struct(body, "source", "Event", "source", "v1.EventSource");
        var source = new JsonObject();
        PutString(source, "component", go.String(requestedSource, "component", "EventSource", "source.component"));
        PutString(source, "host", go.String(requestedSource, "host", "EventSource", "source.host"));
        json["source"] = source;

        json["firstTimestamp"] = go.Time(body, "firstTimestamp", "Event", "firstTimestamp", micro: false);
        json["lastTimestamp"] = go.Time(body, "lastTimestamp", "Event", "lastTimestamp", micro: false);
        if (go.Int32(body, "count", "Event", "count") is { } count and not 0)
        {
            json["count"] = count;
        }

        PutString(json, "type", go.String(body, "type", "Event", "type"));
        json["eventTime"] = go.Time(body, "eventTime", "Event", "eventTime", micro: true);

        // A pointer: any object, even an empty one, is kept; null and absence drop it.
        if (go.Struct(body, "series", "Event", "series", "v1.EventSeries") is { } requestedSeries)
        {
            var series = new JsonObject();
            if (go.Int32(requestedSeries, "count", "EventSeries", "series.count") is { } seriesCount and not 0)
            {
                series["count"] = seriesCount;
            }

            series["lastObservedTime"] = go.Time(requestedSeries, "lastObservedTime", "EventSeries", "series.lastObservedTime", micro: true);
            json["series"] = series;
        }

        PutString(json, "action", go.String(body, "action", "Event", "action"));
        if (go.Struct(body, "related", "Event", "related", "v1.ObjectReference") is { } related)
        {
            json["related"] = Reference(go, related, "related");
        }

        json["reportingComponent"] = go.String(body, "reportingComponent", "Event", "reportingComponent") ?? string.Empty;
        json["reportingInstance"] = go.String(body, "reportingInstance", "Event", "reportingInstance") ?? string.Empty;
        return go.Error is { } error ? (null, error) : (json, null);
    }

    /// <summary>An event inside an EventList: Go leaves an item's empty TypeMeta out, so no kind or apiVersion.</summary>
    public static JsonObject ListItem(JsonObject stored)
    {
        var item = (JsonObject)stored.DeepClone();
        item.Remove("kind");
        item.Remove("apiVersion");
        return item;
    }

    public static string Text(JsonObject stored, string key) => JsonRead.String(stored[key]) ?? string.Empty;

    public static string MetadataText(JsonObject stored, string key) => JsonRead.String(stored["metadata"]?[key]) ?? string.Empty;

    public static string InvolvedText(JsonObject stored, string key) => JsonRead.String(stored["involvedObject"]?[key]) ?? string.Empty;

    public static EventRecord ToRecord(JsonObject stored) =>
        new(
            MetadataText(stored, "namespace"),
            MetadataText(stored, "name"),
            MetadataText(stored, "uid"),
            MetadataText(stored, "resourceVersion"),
            Text(stored, "type"),
            Text(stored, "reason"),
            Text(stored, "message"),
            (int)(JsonRead.Int64(stored["count"]) ?? 0),
            Timestamp(stored["firstTimestamp"], GoTime.Rfc3339),
            Timestamp(stored["lastTimestamp"], GoTime.Rfc3339),
            Timestamp(stored["eventTime"], GoTime.Rfc3339Micro),
            new EventObjectReference(
                InvolvedText(stored, "kind"),
                InvolvedText(stored, "namespace"),
                InvolvedText(stored, "name"),
                InvolvedText(stored, "uid"),
                InvolvedText(stored, "apiVersion"),
                InvolvedText(stored, "fieldPath")),
            JsonRead.String(stored["source"]?["component"]) ?? string.Empty,
            JsonRead.String(stored["source"]?["host"]) ?? string.Empty,
            Text(stored, "reportingComponent"),
            Text(stored, "reportingInstance"),
            Text(stored, "action"));

    /// <summary>An ObjectReference (<c>involvedObject</c>, <c>related</c>) in Go field order, empty fields left out.</summary>
    private static JsonObject Reference(GoJsonReader go, JsonObject? requested, string path)
    {
        var reference = new JsonObject();
        foreach (var key in (string[])["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"])
        {
            PutString(reference, key, go.String(requested, key, "ObjectReference", $"{path}.{key}"));
        }

        return reference;
    }

    private static void PutString(JsonObject json, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            json[key] = value;
        }
    }

    private static DateTimeOffset? Timestamp(JsonNode? node, string layout) =>
        JsonRead.String(node) is { } text ? GoTime.Parse(layout, text).Value : null;
}
