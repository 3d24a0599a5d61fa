using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Kubernetes.Emulator;

/// <summary>
/// The ListOptions of a list or watch request, decoded the way apimachinery's parameter codec does it:
/// integers with strconv.ParseInt, booleans false only for absent, "0" and "false".
/// </summary>
/// <param name="ResourceVersion">The raw parameter; its meaning differs between list and watch.</param>
/// <param name="TimeoutSeconds">Null when absent; only watches use it.</param>
internal sealed record ListQuery(string ResourceVersion, FieldSelector FieldSelector, bool AllowWatchBookmarks, long? TimeoutSeconds)
{
    /// <summary>
    /// Parameters whose semantics the fake does not implement. A client that sends one gets a loud 400
    /// instead of an answer that silently ignores it and looks right.
    /// </summary>
    private static readonly string[] Unsupported = ["labelSelector", "continue", "sendInitialEvents", "shardSelector"];

    /// <summary>Whether the request is a watch, which is also what makes RBAC check the <c>watch</c> verb.</summary>
    public static bool IsWatch(IQueryCollection query) => Flag(query["watch"]);

    /// <param name="convertLabel">The kind's field label conversion, e.g. <see cref="PodFields.ConvertLabel"/>.</param>
    public static (ListQuery? Query, ApiResponse? Failure) Parse(IQueryCollection query, Func<string, string?> convertLabel)
    {
        foreach (var name in Unsupported)
        {
            if (query.TryGetValue(name, out var value) && (name == "sendInitialEvents" || First(value).Length > 0))
            {
                return (null, KubernetesStatus.BadRequest($"the fake Kubernetes API server does not implement the {name} parameter"));
            }
        }

        var match = First(query["resourceVersionMatch"]);
        if (match.Length > 0 && match != "NotOlderThan")
        {
            return (null, KubernetesStatus.BadRequest($"the fake Kubernetes API server does not implement resourceVersionMatch={match}"));
        }

        // The codec converts url.Values to v1.ListOptions (integers) before it parses the selectors.
        long? timeoutSeconds = null;
        if (query.TryGetValue("timeoutSeconds", out var timeout))
        {
            var (seconds, error) = GoStrconv.ParseInt(First(timeout));
            if (error is not null)
            {
                return (null, KubernetesStatus.BadRequest(error));
            }

            timeoutSeconds = seconds;
        }

        // Servers may ignore limit and return everything (ListOptions docs); the fake always does.
        if (query.TryGetValue("limit", out var limit) && GoStrconv.ParseInt(First(limit)).Error is { } limitError)
        {
            return (null, KubernetesStatus.BadRequest(limitError));
        }

        var (selector, selectorError) = FieldSelector.Parse(First(query["fieldSelector"]), convertLabel);
        if (selector is null)
        {
            return (null, KubernetesStatus.BadRequest(selectorError!));
        }

        return (new ListQuery(First(query["resourceVersion"]), selector, Flag(query["allowWatchBookmarks"]), timeoutSeconds), null);
    }

    /// <summary>The codec reads only the first value of a repeated parameter.</summary>
    private static string First(StringValues values) => values.Count == 0 ? string.Empty : values[0] ?? string.Empty;

    /// <summary>runtime.Convert_Slice_string_To_bool: any present value but "0" and "false" is true, even empty.</summary>
    private static bool Flag(StringValues values) =>
        values.Count > 0 && values[0] != "0" && !string.Equals(values[0], "false", StringComparison.OrdinalIgnoreCase);
}
