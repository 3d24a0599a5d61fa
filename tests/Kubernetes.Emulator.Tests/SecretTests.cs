using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kubernetes.Emulator.Tests;

public sealed class SecretTests
{
    private static V1Secret NewSecret(string name, bool? immutable = true) =>
        new()
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "openbao-csi-provider" },
            },
            Immutable = immutable,
            Data = new Dictionary<string, byte[]> { ["password"] = Encoding.UTF8.GetBytes("s3cr3t"), ["blob"] = [0, 1, 254, 255] },
        };

    [Fact]
    public async Task Reads_a_seeded_secret_with_its_data_and_immutability()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddSecret("shop", "db", new Dictionary<string, byte[]> { ["user"] = "admin"u8.ToArray() }, immutable: true);

        var secret = await cluster.Client.CoreV1.ReadNamespacedSecretAsync("db", "shop");

        Assert.Equal("Secret", secret.Kind);
        Assert.Equal("db", secret.Metadata.Name);
        Assert.Equal("shop", secret.Metadata.NamespaceProperty);
        Assert.False(string.IsNullOrEmpty(secret.Metadata.Uid));
        Assert.NotNull(secret.Metadata.CreationTimestamp);
        Assert.True(secret.Immutable);
        Assert.Equal("Opaque", secret.Type);
        Assert.Equal("admin"u8.ToArray(), secret.Data["user"]);
    }

    [Fact]
    public async Task Missing_secret_is_404_NotFound()
    {
        await using var cluster = await TestCluster.StartAsync();

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.NotFound, () =>
            cluster.Client.CoreV1.ReadNamespacedSecretAsync("x", "shop"));

        Assert.Equal("NotFound", status.Reason);
        Assert.Equal("secrets \"x\" not found", status.Message);
        Assert.Equal("x", status.Details.Name);
        Assert.Equal("secrets", status.Details.Kind);
    }

    [Fact]
    public async Task Status_body_has_the_api_server_wire_shape()
    {
        await using var cluster = await TestCluster.StartAsync();

        var exception = await Assert.ThrowsAsync<HttpOperationException>(() =>
            cluster.Client.CoreV1.ReadNamespacedSecretAsync("x", "shop"));

        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"secrets \"x\" not found","reason":"NotFound","details":{"name":"x","kind":"secrets"},"code":404}""",
            exception.Response.Content);
    }

    [Fact]
    public async Task Denied_get_is_403_Forbidden()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddSecret("shop", "db", new Dictionary<string, byte[]>());
        cluster.Api.Deny("get", "secrets");

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.Forbidden, () =>
            cluster.Client.CoreV1.ReadNamespacedSecretAsync("db", "shop"));

        Assert.Equal(
            "secrets \"db\" is forbidden: User \"system:serviceaccount:csi:openbao-csi-provider\" cannot get resource \"secrets\" in API group \"\" in the namespace \"shop\"",
            status.Message);
    }

    [Fact]
    public async Task Creates_and_stores_a_secret()
    {
        await using var cluster = await TestCluster.StartAsync();

        var created = await cluster.Client.CoreV1.CreateNamespacedSecretAsync(NewSecret("synced"), "shop");

        Assert.Equal("synced", created.Metadata.Name);
        Assert.Equal("shop", created.Metadata.NamespaceProperty);
        Assert.True(created.Immutable);
        Assert.Equal("s3cr3t"u8.ToArray(), created.Data["password"]);

        var data = cluster.Api.GetSecretData("shop", "synced");
        Assert.NotNull(data);
        Assert.Equal("s3cr3t"u8.ToArray(), data["password"]);
        Assert.Equal([0, 1, 254, 255], data["blob"]);

        var stored = cluster.Api.GetSecret("shop", "synced");
        Assert.NotNull(stored);
        Assert.True(stored.Immutable);
        Assert.Equal("openbao-csi-provider", stored.Labels["app.kubernetes.io/managed-by"]);
        Assert.Equal(created.Metadata.Uid, stored.Uid);

        var read = await cluster.Client.CoreV1.ReadNamespacedSecretAsync("synced", "shop");
        Assert.Equal([0, 1, 254, 255], read.Data["blob"]);
        Assert.Null(cluster.Api.GetSecretData("shop", "other"));
    }

    [Fact]
    public async Task String_data_is_folded_into_data()
    {
        await using var cluster = await TestCluster.StartAsync();
        var secret = NewSecret("s", immutable: null);
        secret.StringData = new Dictionary<string, string> { ["plain"] = "text" };

        var created = await cluster.Client.CoreV1.CreateNamespacedSecretAsync(secret, "shop");

        Assert.Null(created.StringData);
        Assert.Null(created.Immutable);
        Assert.Equal("text"u8.ToArray(), cluster.Api.GetSecretData("shop", "s")!["plain"]);
        Assert.False(cluster.Api.GetSecret("shop", "s")!.Immutable);
    }

    [Fact]
    public async Task Generate_name_is_kept_and_a_long_prefix_is_cut_to_leave_room_for_the_suffix()
    {
        await using var cluster = await TestCluster.StartAsync();
        var prefix = new string('p', 70);
        var secret = NewSecret(name: null!);
        secret.Metadata.GenerateName = prefix;

        var created = await cluster.Client.CoreV1.CreateNamespacedSecretAsync(secret, "shop");

        Assert.Equal(prefix, created.Metadata.GenerateName);
        Assert.Equal(63, created.Metadata.Name.Length);
        Assert.StartsWith(prefix[..58], created.Metadata.Name, StringComparison.Ordinal);
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]{5}$", created.Metadata.Name[58..]);
        Assert.NotNull(cluster.Api.GetSecret("shop", created.Metadata.Name));
    }

    [Fact]
    public async Task Creating_an_existing_name_is_409_AlreadyExists()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddSecret("shop", "synced", new Dictionary<string, byte[]> { ["k"] = [1] });

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.Conflict, () =>
            cluster.Client.CoreV1.CreateNamespacedSecretAsync(NewSecret("synced"), "shop"));

        Assert.Equal("AlreadyExists", status.Reason);
        Assert.Equal("secrets \"synced\" already exists", status.Message);
        Assert.Equal("synced", status.Details.Name);
        Assert.Equal("secrets", status.Details.Kind);
        Assert.Equal([1], cluster.Api.GetSecretData("shop", "synced")!["k"]);
    }

    [Fact]
    public async Task Denied_create_is_403_Forbidden_without_a_name()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.Deny("create", "secrets", "shop");

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.Forbidden, () =>
            cluster.Client.CoreV1.CreateNamespacedSecretAsync(NewSecret("synced"), "shop"));

        Assert.Equal(
            "secrets is forbidden: User \"system:serviceaccount:csi:openbao-csi-provider\" cannot create resource \"secrets\" in API group \"\" in the namespace \"shop\"",
            status.Message);
        Assert.Null(status.Details.Name);
        Assert.Null(cluster.Api.GetSecretData("shop", "synced"));
    }

    [Fact]
    public async Task Create_in_a_terminating_namespace_is_403_NamespaceTerminating_before_validation_while_reads_work()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddSecret("shop", "db", new Dictionary<string, byte[]> { ["k"] = [1] });
        cluster.Api.TerminateNamespace("shop");
        var secret = NewSecret("synced");
        secret.Data["db/password"] = [1];

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.Forbidden, () =>
            cluster.Client.CoreV1.CreateNamespacedSecretAsync(secret, "shop"));

        StatusAssert.IsForbidden(
            status,
            "secrets \"synced\" is forbidden: unable to create new content in namespace shop because it is being terminated",
            "synced",
            "secrets");
        Assert.Equal("NamespaceTerminating", Assert.Single(status.Details.Causes).Reason);
        Assert.Null(cluster.Api.GetSecret("shop", "synced"));
        Assert.Equal([1], (await cluster.Client.CoreV1.ReadNamespacedSecretAsync("db", "shop")).Data["k"]);
    }

    [Fact]
    public async Task Create_with_generate_name_in_a_terminating_namespace_names_the_prefix_as_no_name_is_generated_yet()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.TerminateNamespace("shop");
        var secret = NewSecret(name: null!);
        secret.Metadata.GenerateName = "synced-";

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.Forbidden, () =>
            cluster.Client.CoreV1.CreateNamespacedSecretAsync(secret, "shop"));

        Assert.Equal("synced-", status.Details.Name);
        Assert.StartsWith("secrets \"synced-\" is forbidden: unable to create new content", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_data_key_is_422_Invalid()
    {
        await using var cluster = await TestCluster.StartAsync();
        var secret = NewSecret("synced");
        secret.Data["db/password"] = [1];

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity, () =>
            cluster.Client.CoreV1.CreateNamespacedSecretAsync(secret, "shop"));

        Assert.Equal("Invalid", status.Reason);
        Assert.StartsWith("Secret \"synced\" is invalid: data[db/password]: Invalid value: \"db/password\": a valid config key", status.Message, StringComparison.Ordinal);
        Assert.Equal("data[db/password]", Assert.Single(status.Details.Causes).Field);
        Assert.Null(cluster.Api.GetSecretData("shop", "synced"));
    }

    [Fact]
    public async Task Name_with_a_trailing_newline_is_422_Invalid_as_Go_regexps_see_it()
    {
        await using var cluster = await TestCluster.StartAsync();

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity, () =>
            cluster.Client.CoreV1.CreateNamespacedSecretAsync(NewSecret("synced\n"), "shop"));

        Assert.StartsWith("Secret \"synced\\n\" is invalid: metadata.name: Invalid value: \"synced\\n\": a lowercase RFC 1123 subdomain", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_name_let_exactly_one_win()
    {
        await using var cluster = await TestCluster.StartAsync();
        const int Creators = 8;
        cluster.Api.RaceNextSecretCreates(Creators);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Creators).Select(async i =>
        {
            var secret = NewSecret("raced");
            secret.Data["writer"] = [(byte)i];
            try
            {
                await cluster.Client.CoreV1.CreateNamespacedSecretAsync(secret, "shop");
                return (Code: HttpStatusCode.Created, Writer: i);
            }
            catch (HttpOperationException exception)
            {
                return (Code: exception.Response.StatusCode, Writer: i);
            }
        }));

        var (_, winner) = Assert.Single(outcomes, o => o.Code == HttpStatusCode.Created);
        Assert.Equal(Creators - 1, outcomes.Count(o => o.Code == HttpStatusCode.Conflict));
        Assert.Equal([(byte)winner], cluster.Api.GetSecretData("shop", "raced")!["writer"]);
        Assert.Equal(Creators, cluster.Api.CountRequests("POST", "/api/v1/namespaces/shop/secrets"));
    }
}
