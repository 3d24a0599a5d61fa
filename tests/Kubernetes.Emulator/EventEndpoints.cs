using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Kubernetes.Emulator;

/// <summary>
/// core/v1 Events, <c>/api/v1/namespaces/{ns}/events[/{name}]</c> and <c>/api/v1/events</c>: create, get, list,
/// patch and delete, each checked in the API server's order (authorization, decoding, namespace and name,
/// admission, concurrency, validation, storage) and refused with its Status.
/// </summary>
internal sealed class EventEndpoints(ClusterStore store, FakeKubernetesApiOptions options)
{
    private const string Resource = "events";

    /// <param name="readBody">Called once authorization has passed, which comes before the body in the API server.</param>
    public async Task<ApiResponse> CreateAsync(string @namespace, IQueryCollection query, Func<Task<JsonObject>> readBody)
    {
        if (store.IsDenied("create", Resource, @namespace))
        {
            // A create on the collection has no name yet, so the real message names none.
            return Forbidden("create", @namespace, string.Empty);
        }

        if (UnimplementedWriteOption(query) is { } unimplemented)
        {
            return unimplemented;
        }

        var (decoded, error) = EventJson.Decode(await readBody().ConfigureAwait(false));
        if (decoded is null)
        {
            return KubernetesStatus.BadRequest($"Event in version \"v1\" cannot be handled as a Event: {error}");
        }

        var requested = (JsonObject)decoded["metadata"]!;
        if (NamespaceMismatch(requested, @namespace) is { } mismatch)
        {
            return mismatch;
        }

        // NamespaceLifecycle is mutating admission, which runs before the registry generates a name or validates.
        if (store.IsTerminating(@namespace))
        {
            return KubernetesStatus.NamespaceTerminating(Resource, ObjectMetadata.AdmissionName(requested), @namespace);
        }

        var name = JsonRead.String(requested["name"]) ?? string.Empty;
        var generateName = JsonRead.String(requested["generateName"]) ?? string.Empty;
        if (name.Length == 0 && generateName.Length > 0)
        {
            name = ObjectMetadata.GenerateName(generateName);
        }

        decoded["metadata"] = ObjectMetadata.Build(
            @namespace,
            name,
            Guid.NewGuid().ToString(),
            resourceVersion: 0,
            GoFormat.Timestamp(options.TimeProvider.GetUtcNow()),
            requested);

        // The strategy's rules come first; the generic metadata checks run only once those pass.
        var errors = EventValidation.Legacy(decoded).ToList();
        if (errors.Count == 0)
        {
            errors.AddRange(EventValidation.Metadata(decoded));
        }

        if (errors.Count > 0)
        {
            return KubernetesStatus.Invalid("Event", string.Empty, name, errors);
        }

        return store.TryCreateEvent(@namespace, name, decoded) is { } stored
            ? new ApiResponse(201, stored)
            : KubernetesStatus.AlreadyExists(Resource, name);
    }

    public ApiResponse Get(string @namespace, string name)
    {
        if (store.IsDenied("get", Resource, @namespace))
        {
            return Forbidden("get", @namespace, name);
        }

        return store.FindEvent(@namespace, name) is { } stored
            ? new ApiResponse(200, stored)
            : KubernetesStatus.NotFound(Resource, name);
    }

    /// <param name="namespace">Null lists across all namespaces.</param>
    public ApiResponse List(string? @namespace, IQueryCollection query)
    {
        // Authorization runs before the handler decodes any parameter, with watch as its own verb.
        var watch = ListQuery.IsWatch(query);
        if (store.IsDenied(watch ? "watch" : "list", Resource, @namespace ?? string.Empty))
        {
            return Forbidden(watch ? "watch" : "list", @namespace ?? string.Empty, string.Empty);
        }

        if (watch)
        {
            return KubernetesStatus.BadRequest("the fake Kubernetes API server does not implement watching events");
        }

        var (parsed, failure) = ListQuery.Parse(query, EventFields.ConvertLabel);
        if (parsed is null)
        {
            return failure!;
        }

        var (requested, invalid) = ResourceVersions.Parse(parsed.ResourceVersion);
        if (invalid is not null)
        {
            return invalid;
        }

        var (events, resourceVersion) = store.ListEvents();

        // As for pods: the fake answers a resourceVersion it has not reached at once instead of waiting.
        if (requested > (ulong)resourceVersion)
        {
            return KubernetesStatus.TooLargeResourceVersion(requested, resourceVersion);
        }

        var items = new JsonArray();
        foreach (var stored in events)
        {
            if ((@namespace is null || EventJson.MetadataText(stored, "namespace") == @namespace) && parsed.FieldSelector.Matches(stored))
            {
                items.Add(EventJson.ListItem(stored));
            }
        }

        var list = new JsonObject
        {
            ["kind"] = "EventList",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
            ["items"] = items,
        };
        return new ApiResponse(200, list);
    }

    /// <summary>
    /// The patch handler's order: the Content-Type and body before the object is read, then, against the
    /// stored event, the patched result's decoding, namespace and name, resourceVersion, and validation.
    /// </summary>
    public async Task<ApiResponse> PatchAsync(string @namespace, string name, IQueryCollection query, string? contentType, Func<Task<byte[]>> readBody)
    {
        if (store.IsDenied("patch", Resource, @namespace))
        {
            return Forbidden("patch", @namespace, name);
        }

        // The Content-Type comes first; the options are decoded after the body is read, the patch after them.
        if (!PatchDocument.IsAccepted(contentType))
        {
            return PatchDocument.Unsupported();
        }

        var body = await readBody().ConfigureAwait(false);
        if (UnimplementedWriteOption(query) is { } unimplemented)
        {
            return unimplemented;
        }

        var (patch, failure) = PatchDocument.Parse(contentType, body);
        if (patch is null)
        {
            return failure!;
        }

        var (stored, refused) = store.UpdateEvent(@namespace, name, current => Patched(@namespace, name, patch, current));
        return stored is not null ? new ApiResponse(200, stored) : refused ?? KubernetesStatus.NotFound(Resource, name);
    }

    /// <summary>
    /// Events are not deleted gracefully and the registry does not return them, so the answer is a Success
    /// Status naming the event and its UID.
    /// </summary>
    public ApiResponse Delete(string @namespace, string name, IQueryCollection query)
    {
        if (store.IsDenied("delete", Resource, @namespace))
        {
            return Forbidden("delete", @namespace, name);
        }

        if (UnimplementedWriteOption(query) is { } unimplemented)
        {
            return unimplemented;
        }

        return store.DeleteEvent(@namespace, name) is { } removed
            ? KubernetesStatus.Deleted(Resource, name, EventJson.MetadataText(removed, "uid"))
            : KubernetesStatus.NotFound(Resource, name);
    }

    /// <summary>For tests' assertions: every event, or those of one namespace, in key order.</summary>
    public IReadOnlyList<EventRecord> Records(string? @namespace) =>
        [.. store.ListEvents().Events
            .Where(e => @namespace is null || EventJson.MetadataText(e, "namespace") == @namespace)
            .Select(EventJson.ToRecord)];

    /// <summary>
    /// Options that would change what a write does: a dry run must not store, and strict field validation
    /// refuses the unknown fields the default (warn) drops. Refused loudly instead of ignored.
    /// </summary>
    private static ApiResponse? UnimplementedWriteOption(IQueryCollection query)
    {
        if (query.ContainsKey("dryRun"))
        {
            return KubernetesStatus.BadRequest("the fake Kubernetes API server does not implement dryRun for events");
        }

        return query.TryGetValue("fieldValidation", out var validation) && validation.ToString() == "Strict"
            ? KubernetesStatus.BadRequest("the fake Kubernetes API server does not implement fieldValidation=Strict for events")
            : null;
    }

    private static ApiResponse? NamespaceMismatch(JsonObject requested, string @namespace) =>
        JsonRead.String(requested["namespace"]) is { Length: > 0 } given && given != @namespace
            ? KubernetesStatus.BadRequest("the namespace of the provided object does not match the namespace sent on the request")
            : null;

    /// <returns>The event to store (with the current resourceVersion, which the store bumps), or the refusal.</returns>
    private static (JsonObject? Next, ApiResponse? Failure) Patched(string @namespace, string name, PatchDocument patch, JsonObject current)
    {
        var (result, failure) = patch.Apply(current);
        if (failure is not null)
        {
            return (null, failure);
        }

        var (decoded, error) = result is JsonObject patched
            ? EventJson.Decode(patched)
            : (null, $"json: cannot unmarshal {GoJsonReader.KindName(result)} into Go value of type v1.Event");
        if (decoded is null)
        {
            // Not the Event's kind or name: the decode fails before the handler knows what it has.
            var cause = FieldError.Invalid("patch", GoFormat.Quote(patch.Describe(result)), error!);
            return (null, KubernetesStatus.Invalid(string.Empty, string.Empty, string.Empty, [cause]));
        }

        var requested = (JsonObject)decoded["metadata"]!;
        if (NamespaceMismatch(requested, @namespace) is { } mismatch)
        {
            return (null, mismatch);
        }

        var patchedName = JsonRead.String(requested["name"]) ?? string.Empty;
        if (patchedName != name)
        {
            return (null, KubernetesStatus.BadRequest($"the name of the object ({patchedName}) does not match the name on the URL ({name})"));
        }

        // A resourceVersion the patch leaves or sets to "" or "0" means no precondition, as Events allow.
        var currentVersion = ulong.Parse(EventJson.MetadataText(current, "resourceVersion"), CultureInfo.InvariantCulture);
        var (expected, unparsable) = ResourceVersions.Parse(JsonRead.String(requested["resourceVersion"]) ?? string.Empty);
        if (unparsable is not null)
        {
            return (null, unparsable);
        }

        if (expected != 0 && expected != currentVersion)
        {
            return (null, KubernetesStatus.Conflict(
                Resource,
                name,
                "the object has been modified; please apply your changes to the latest version and try again"));
        }

        // BeforeUpdate: an unset UID is the stored one, and the creation time cannot change.
        var currentUid = EventJson.MetadataText(current, "uid");
        var uid = JsonRead.String(requested["uid"]) is { Length: > 0 } given ? given : currentUid;
        decoded["metadata"] = ObjectMetadata.Build(
            @namespace,
            name,
            uid,
            (long)currentVersion,
            EventJson.MetadataText(current, "creationTimestamp"),
            requested);

        List<FieldError> errors =
            [.. EventValidation.Metadata(decoded), .. EventValidation.ImmutableUid(uid, currentUid), .. EventValidation.Legacy(decoded)];
        return errors.Count > 0
            ? (null, KubernetesStatus.Invalid("Event", string.Empty, name, errors))
            : (decoded, null);
    }

    private ApiResponse Forbidden(string verb, string @namespace, string name) =>
        KubernetesStatus.Forbidden(options.CallerUserName, verb, Resource, null, @namespace, name);
}
