using System.Text;
using System.Text.Json.Nodes;

namespace Kubernetes.Emulator;

/// <summary>
/// What the API server checks of an Event written through the core/v1 API: the event strategy's
/// legacyValidateEvent (the stricter events.k8s.io rules are skipped for core/v1 requests), then the generic
/// registry's object metadata checks, which for Events ask only that names be valid path segments.
/// </summary>
internal static class EventValidation
{
    private const int ReportingInstanceLengthLimit = 128;
    private const int ActionLengthLimit = 128;
    private const int ReasonLengthLimit = 128;
    private const int NoteLengthLimit = 1024;

    /// <summary>
    /// pkg/apis/core/validation legacyValidateEvent, for create and update alike. An event without
    /// <c>eventTime</c> is a legacy one, held only to its namespace; with one it must name its reporter and action.
    /// </summary>
    public static IEnumerable<FieldError> Legacy(JsonObject stored)
    {
        var @namespace = EventJson.MetadataText(stored, "namespace");
        var involvedNamespace = EventJson.InvolvedText(stored, "namespace");
        var mismatch = FieldError.Invalid("involvedObject.namespace", GoFormat.Quote(involvedNamespace), "does not match event.namespace");
        if (stored["eventTime"] is null)
        {
            // An event about a cluster-scoped object may live in "default", for old clients.
            if (involvedNamespace.Length == 0 ? @namespace is not ("" or "default") : @namespace != involvedNamespace)
            {
                yield return mismatch;
            }
        }
        else
        {
            if (involvedNamespace.Length == 0 && @namespace is not ("default" or "kube-system"))
            {
                yield return mismatch;
            }

            // The core/v1 spelling of reportingController.
            var controller = EventJson.Text(stored, "reportingComponent");
            if (controller.Length == 0)
            {
                yield return FieldError.Required("reportingComponent", string.Empty);
            }

            foreach (var message in ObjectValidation.QualifiedNameErrors(controller))
            {
                yield return FieldError.Invalid("reportingComponent", GoFormat.Quote(controller), message);
            }

            foreach (var error in RequiredAndBounded(stored, "reportingInstance", ReportingInstanceLengthLimit))
            {
                yield return error;
            }

            foreach (var error in RequiredAndBounded(stored, "action", ActionLengthLimit))
            {
                yield return error;
            }

            foreach (var error in RequiredAndBounded(stored, "reason", ReasonLengthLimit))
            {
                yield return error;
            }

            if (Encoding.UTF8.GetByteCount(EventJson.Text(stored, "message")) > NoteLengthLimit)
            {
                yield return TooManyCharacters("message", NoteLengthLimit);
            }
        }

        foreach (var message in ObjectValidation.SubdomainErrors(@namespace))
        {
            yield return FieldError.Invalid("namespace", GoFormat.Quote(@namespace), message);
        }
    }

    /// <summary>ValidateObjectMetaAccessor with path.ValidatePathSegmentName, run once the strategy's checks pass.</summary>
    public static IEnumerable<FieldError> Metadata(JsonObject stored)
    {
        var generateName = EventJson.MetadataText(stored, "generateName");
        if (generateName.Length > 0)
        {
            foreach (var message in ObjectValidation.PathSegmentNameErrors(generateName, prefix: true))
            {
                yield return FieldError.Invalid("metadata.generateName", GoFormat.Quote(generateName), message);
            }
        }

        var name = EventJson.MetadataText(stored, "name");
        if (name.Length == 0)
        {
            yield return FieldError.Required("metadata.name", "name or generateName is required");
        }

        foreach (var message in name.Length == 0 ? [] : ObjectValidation.PathSegmentNameErrors(name, prefix: false))
        {
            yield return FieldError.Invalid("metadata.name", GoFormat.Quote(name), message);
        }
    }

    /// <summary>ValidateObjectMetaAccessorUpdate's check that matters once name and namespace are known to match.</summary>
    public static IEnumerable<FieldError> ImmutableUid(string uid, string storedUid)
    {
        if (uid != storedUid)
        {
            yield return FieldError.Invalid("metadata.uid", GoFormat.Quote(uid), "field is immutable");
        }
    }

    private static IEnumerable<FieldError> RequiredAndBounded(JsonObject stored, string field, int limit)
    {
        var value = EventJson.Text(stored, field);
        if (value.Length == 0)
        {
            yield return FieldError.Required(field, string.Empty);
        }

        if (Encoding.UTF8.GetByteCount(value) > limit)
        {
            yield return TooManyCharacters(field, limit);
        }
    }

    // The API server reports the limit against an empty value, not the offending one.
    private static FieldError TooManyCharacters(string field, int limit) =>
        FieldError.Invalid(field, "\"\"", $"can have at most {limit} characters");
}
