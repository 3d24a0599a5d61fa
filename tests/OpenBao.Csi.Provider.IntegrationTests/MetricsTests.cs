using System.Net;
using System.Net.Sockets;
using Csi.Driver.Emulator;
using Grpc.Core;
using OpenBao.Csi.Provider.IntegrationTests.Infrastructure;
using OpenBao.Csi.Provider.V1Alpha1;
using OpenBao.Emulator;

namespace OpenBao.Csi.Provider.IntegrationTests;

/// <summary>
/// The provider as its own process (so its meters are its own), scraped on the health listener the way
/// Prometheus does, after a first mount, two rotation polls of a dynamic secret and one failing poll.
/// </summary>
public sealed class MetricsTests
{
    private const string Objects =
        "- objectName: password\n  secretPath: secret/data/shop/db\n  secretKey: password\n" +
        "- objectName: db-user\n  secretPath: database/creds/shop-db\n  secretKey: username\n";

    /// <summary>Prometheus sees no increase in a series that first appears at 1: the first failure of each kind must find it at 0.</summary>
    [Fact]
    public async Task Metrics_FreshProvider_FailureCountersAlreadyAtZero()
    {
        await using var bao = await OpenBaoEmulator.StartAsync();
        var socket = Path.Combine(Directory.CreateTempSubdirectory("openbao-csi-metrics-").FullName, "openbao.sock");
        var port = LoopbackPort.Free();
        using var provider = await ProviderBinary.StartServingAsync(ProviderBinary.StartInfo(
            null, $"-endpoint={socket}", $"-health-addr=127.0.0.1:{port}", $"-openbao-addr={bao.Address}"));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var scrape = PrometheusText.Parse(await http.GetStringAsync("/metrics"));

        Assert.Equal(0, scrape.Value("openbao_csi_rotation_failures_total", ("result", "Aborted")));
        Assert.Equal(0, scrape.Value("openbao_csi_rotation_failures_total", ("result", "PermissionDenied")));
        Assert.Equal(0, scrape.Value("openbao_csi_mounts_total", ("result", "Internal"), ("poll", "mount")));
        Assert.Equal(0, scrape.Value("openbao_csi_leases_total", ("outcome", "reissued")));
        Assert.Equal(0, scrape.Value("openbao_csi_kubernetes_events_total", ("reason", "SecretRotationFailed"), ("result", "failed")));
        Assert.Equal(0, scrape.Value("openbao_csi_pod_watch_interruptions_total", ("reason", "failed"), ("next", "list")));
        Assert.Equal(0, scrape.Sum("openbao_csi_mounts_total"));
    }

    [Fact]
    public async Task Metrics_AfterMountsAndPolls_CountEachStepWithBoundedLabelsAndNothingSecret()
    {
        var witness = new SecretWitness();
        await using var bao = await OpenBaoEmulator.StartAsync();
        ProviderFixture.SeedShopPassword(bao, witness.Remember($"metrics-{Guid.NewGuid():N}"));
        bao.EnableDatabase();
        bao.AddDatabaseRole("shop-db", TimeSpan.FromHours(1), TimeSpan.FromHours(24));
        bao.AddPolicy("shop-read", new PolicyRule("secret/data/shop/*", "read"), new PolicyRule("database/creds/shop-db", "read"));
        var folder = Directory.CreateTempSubdirectory("openbao-csi-metrics-").FullName;
        var socket = Path.Combine(folder, "openbao.sock");
        var port = LoopbackPort.Free();
        using var provider = await ProviderBinary.StartServingAsync(ProviderBinary.StartInfo(
            null, $"-endpoint={socket}", $"-health-addr=127.0.0.1:{port}", $"-openbao-addr={bao.Address}"));
        var pod = new DriverMount { PodName = "metrics-pod-4f7c2" }.WithParameter("roleName", ProviderFixture.ShopRole).WithParameter("objects", Objects);
        pod.Tokens["openbao"] = witness.Remember(bao.Issuer.Mint("shop", "app", ["openbao"], TimeSpan.FromMinutes(10)));

        using var channel = DriverChannel.Create(socket);
        var client = DriverAcceptance.Client(channel);
        var first = await client.MountAsync(pod.ToRequest());
        // The kubelet's republish repeats the first request; only the provider's memory makes it a rotation poll.
        await client.MountAsync(pod.ToRequest());
        await client.MountAsync(pod.ToRequest(first.ObjectVersion));
        bao.DeleteKvV2Metadata("secret", "shop/db");
        var failed = await Assert.ThrowsAsync<RpcException>(() => client.MountAsync(pod.ToRequest(first.ObjectVersion)).ResponseAsync);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var text = await http.GetStringAsync("/metrics");
        var scrape = PrometheusText.Parse(text);
        using var onSocket = DriverChannel.CreateHttpClient(socket);
        var metricsOnSocket = await onSocket.GetAsync("http://localhost/metrics");

        Assert.Equal(StatusCode.NotFound, failed.StatusCode);
        Assert.Equal(1, scrape.Value("openbao_csi_mounts_total", ("result", "OK"), ("poll", "mount")));
        Assert.Equal(2, scrape.Value("openbao_csi_mounts_total", ("result", "OK"), ("poll", "rotation")));
        Assert.Equal(1, scrape.Value("openbao_csi_mounts_total", ("result", "NotFound"), ("poll", "rotation")));
        Assert.Equal(1, scrape.Value("openbao_csi_rotation_failures_total", ("result", "NotFound")));
        Assert.Equal(4, scrape.Sum("openbao_csi_mount_duration_seconds_count"));
        // The advised buckets (seconds, from 1 ms to the kubelet's 2 minutes) survive the cardinality view.
        Assert.Equal(2, scrape.Value("openbao_csi_mount_duration_seconds_bucket", ("result", "OK"), ("poll", "rotation"), ("le", "120")));
        Assert.Equal(0, scrape.Value("openbao_csi_mounts_in_flight"));
        // One login; the password on every poll, the database credential once, then served again from the kept lease.
        Assert.Equal(1, scrape.Value("openbao_csi_openbao_requests_total", ("operation", "login"), ("status", "200")));
        Assert.Equal(4, scrape.Value("openbao_csi_openbao_requests_total", ("operation", "read"), ("status", "200")));
        Assert.Equal(1, scrape.Value("openbao_csi_openbao_requests_total", ("operation", "read"), ("status", "404")));
        Assert.Equal(6, scrape.Sum("openbao_csi_openbao_request_duration_seconds_count"));
        // The first mount's two reads look up concurrently and both wait on its one login.
        Assert.InRange(scrape.Value("openbao_csi_token_cache_lookups_total", ("result", "miss")), 1, 2);
        // One lookup per object per mount: the read that follows uses the token the lookup found.
        Assert.Equal(8, scrape.Sum("openbao_csi_token_cache_lookups_total"));
        Assert.Equal(1, scrape.Value("openbao_csi_token_cache_entries"));
        Assert.Equal(3, scrape.Value("openbao_csi_lease_cache_lookups_total", ("result", "hit")));
        Assert.Equal(1, scrape.Value("openbao_csi_lease_cache_entries"));
        Assert.Equal(1, scrape.Value("openbao_csi_tokens_total", ("outcome", "logged_in")));
        Assert.InRange(scrape.Value("process_resident_memory_bytes"), 1 << 20, 1L << 34);
        Assert.True(scrape.Value("process_cpu_seconds_total") > 0);
        Assert.True(scrape.Value("process_open_fds") > 0);
        Assert.Equal(HttpStatusCode.NotFound, metricsOnSocket.StatusCode);
        Assert.Equal(1, scrape.Value("target_info", ("service_name", "openbao-csi-provider")));
        // Bounded labels: no pod, namespace, path, role or credential in any series.
        Assert.DoesNotContain("metrics-pod", text, StringComparison.Ordinal);
        Assert.DoesNotContain("shop", text, StringComparison.Ordinal);
        Assert.DoesNotContain("database/creds", text, StringComparison.Ordinal);
        Assert.Empty(witness.FindLeaks([text]));
        Assert.All(scrape.LabelNames, name => Assert.Contains(name, AllowedLabels));
    }

    /// <summary>Every label the provider's series may carry; anything else is a new dimension to review for cardinality.</summary>
    private static readonly string[] AllowedLabels =
    [
        "result", "poll", "operation", "status", "outcome", "reason", "next", "le",
        "otel_scope_name", "otel_scope_version", "gc_heap_generation", "cpu_mode", "error_type",
        "telemetry_sdk_name", "telemetry_sdk_language", "telemetry_sdk_version", "service_name", "service_version",
    ];
}
