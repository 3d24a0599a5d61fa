using System.Text.RegularExpressions;

namespace OpenBao.Csi.Provider.Deployment.Tests.Support;

/// <summary>
/// Every series the provider's /metrics serves (OpenTelemetry's Prometheus exporter naming), with
/// each label's values where the set is closed. Alert rules and the dashboard may use these and
/// nothing else, so a renamed instrument fails here instead of leaving a silent alert.
/// </summary>
internal static class KnownSeries
{
    /// <summary>Labels the scrape adds (the Prometheus operator's namespace and pod among them).</summary>
    public static readonly IReadOnlyList<string> TargetLabels = ["job", "instance", "namespace", "pod"];

    /// <summary>The exporter's instrumentation scope, on every series but target_info.</summary>
    public static readonly IReadOnlyList<string> ScopeLabels = ["otel_scope_name", "otel_scope_version"];

    private static readonly string[] GrpcCodes =
    [
        "OK", "NotFound", "PermissionDenied", "Aborted", "DeadlineExceeded", "FailedPrecondition", "InvalidArgument",
        "Unauthenticated", "ResourceExhausted", "Internal", "Unknown", "Cancelled",
    ];

    private static readonly string[] Polls = ["mount", "rotation"];
    private static readonly string[] Operations = ["read", "list", "write", "login", "renew_token", "revoke_token", "renew_lease"];

    // Any HTTP status can appear; these stand for the classes matchers pick from.
    private static readonly string[] Statuses =
        ["200", "204", "400", "401", "403", "404", "405", "412", "429", "500", "502", "503", "504", "transport_error", "timeout"];

    private static readonly string[] HitOrMiss = ["hit", "miss"];
    private static readonly string[] Generations = ["gen0", "gen1", "gen2", "loh", "poh"];

    /// <summary>Label name to its values; an empty list is an open set (le, service_version).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string[]>> All = Build();

    /// <summary>What is wrong with the series an expression selects: unknown names, labels or values.</summary>
    public static IEnumerable<string> Problems(string expr)
    {
        foreach (var selector in PromQl.Selectors(expr))
        {
            if (!All.TryGetValue(selector.Metric, out var labels))
            {
                yield return $"unknown series '{selector.Metric}'";
                continue;
            }

            foreach (var matcher in selector.Matchers)
            {
                if (TargetLabels.Contains(matcher.Label) || ScopeLabels.Contains(matcher.Label))
                {
                    continue;
                }

                if (!labels.TryGetValue(matcher.Label, out var values))
                {
                    yield return $"{selector.Metric} has no label '{matcher.Label}'";
                }
                else if (values.Length > 0 && !matcher.Value.Contains('$') && !Matches(matcher, values))
                {
                    yield return $"{selector.Metric}{{{matcher.Label}{matcher.Op}\"{matcher.Value}\"}} names a value it never has";
                }
            }
        }
    }

    /// <summary>= and != name a known value; every alternative of =~ and !~ matches one.</summary>
    private static bool Matches(PromQl.Matcher matcher, string[] values) => matcher.Op switch
    {
        "=" or "!=" => values.Contains(matcher.Value),
        _ => matcher.Value.Split('|').All(alternative =>
            values.Any(v => Regex.IsMatch(v, $"^(?:{alternative})$", RegexOptions.None, TimeSpan.FromSeconds(1)))),
    };

    private static Dictionary<string, IReadOnlyDictionary<string, string[]>> Build()
    {
        var all = new Dictionary<string, IReadOnlyDictionary<string, string[]>>();

        void Add(string name, params (string Label, string[] Values)[] labels) =>
            all.Add(name, labels.ToDictionary(l => l.Label, l => l.Values));

        void Histogram(string name, params (string Label, string[] Values)[] labels)
        {
            Add(name + "_bucket", [.. labels, ("le", [])]);
            Add(name + "_sum", labels);
            Add(name + "_count", labels);
        }

        Add("openbao_csi_mounts_total", ("result", GrpcCodes), ("poll", Polls));
        Histogram("openbao_csi_mount_duration_seconds", ("result", GrpcCodes), ("poll", Polls));
        Add("openbao_csi_mounts_in_flight");
        Add("openbao_csi_rotation_failures_total", ("result", GrpcCodes));
        Add("openbao_csi_openbao_requests_total", ("operation", Operations), ("status", Statuses));
        Histogram("openbao_csi_openbao_request_duration_seconds", ("operation", Operations));
        Add("openbao_csi_token_cache_entries");
        Add("openbao_csi_lease_cache_entries");
        Add("openbao_csi_token_cache_lookups_total", ("result", HitOrMiss));
        Add("openbao_csi_lease_cache_lookups_total", ("result", HitOrMiss));
        Add("openbao_csi_tokens_total", ("outcome", ["logged_in", "renewed", "revoked"]));
        Add("openbao_csi_leases_total", ("outcome", ["renewed", "reissued", "revoked"]));
        Add("openbao_csi_kubernetes_events_total",
            ("reason", ["SecretRotationFailed", "SecretRotationRecovered"]), ("result", ["created", "aggregated", "failed", "dropped", "skipped"]));
        Add("openbao_csi_pod_watch_interruptions_total", ("reason", ["silent", "expired", "failed"]), ("next", ["resume", "list"]));

        Add("process_resident_memory_bytes");
        Add("process_cpu_seconds_total");
        Add("process_open_fds");
        Add("process_start_time_seconds");

        // The runtime's System.Runtime meter. Its up-down counters (heap size, working set) are
        // exported as gauges, so they carry no _total.
        Add("dotnet_gc_collections_total", ("gc_heap_generation", Generations));
        Add("dotnet_gc_heap_total_allocated_bytes_total");
        Add("dotnet_gc_last_collection_heap_size_bytes", ("gc_heap_generation", Generations));
        Add("dotnet_gc_pause_time_seconds_total");
        Add("dotnet_process_memory_working_set_bytes");

        Add("target_info", ("service_name", ["openbao-csi-provider"]), ("service_version", []));

        // Written by Prometheus for every scrape target.
        Add("up");
        return all;
    }
}
