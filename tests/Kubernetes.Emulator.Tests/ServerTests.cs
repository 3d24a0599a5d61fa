using System.Net;
using System.Net.Http.Headers;
using k8s;

namespace Kubernetes.Emulator.Tests;

public sealed class ServerTests
{
    [Fact]
    public async Task Listens_on_loopback_http()
    {
        await using var api = await FakeKubernetesApi.StartAsync();

        Assert.Equal("http", api.Address.Scheme);
        Assert.Equal("127.0.0.1", api.Address.Host);
        Assert.NotEqual(0, api.Address.Port);
        Assert.Null(api.CertificateAuthorityPem);
    }

    [Fact]
    public async Task Wrong_bearer_token_is_401_Unauthorized()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = api.Address.ToString(), AccessToken = "wrong" });

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.Unauthorized, () =>
            client.CoreV1.ReadNamespacedSecretAsync("x", "shop"));

        Assert.Equal("Unauthorized", status.Reason);
    }

    [Fact]
    public async Task Unknown_paths_are_404_and_every_request_is_counted()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        using var http = new HttpClient { BaseAddress = api.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", api.BearerToken);

        using var unknown = await http.GetAsync(new Uri("/api/v1/namespaces/shop/configmaps/x", UriKind.Relative));
        using var list = await http.GetAsync(new Uri("/api/v1/namespaces/shop/secrets", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, list.StatusCode);
        Assert.Equal(2, api.CountRequests("get", "/api/v1/namespaces/shop/"));
        Assert.Equal(1, api.CountRequests("GET", "/api/v1/namespaces/shop/secrets"));
        Assert.Equal(0, api.CountRequests("POST", "/"));
    }

    [Fact]
    public async Task Https_with_the_kubeconfig_ca_is_trusted_by_the_client()
    {
        await using var cluster = await TestCluster.StartAsync(new FakeKubernetesApiOptions { UseHttps = true });
        cluster.Api.AddSecret("shop", "db", new Dictionary<string, byte[]> { ["k"] = [7] });

        var secret = await cluster.Client.CoreV1.ReadNamespacedSecretAsync("db", "shop");

        Assert.Equal("https", cluster.Api.Address.Scheme);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", cluster.Api.CertificateAuthorityPem, StringComparison.Ordinal);
        Assert.Equal([7], secret.Data["k"]);
    }

    [Fact]
    public async Task Https_without_the_ca_is_refused_by_the_client()
    {
        await using var api = await FakeKubernetesApi.StartAsync(new FakeKubernetesApiOptions { UseHttps = true });
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = api.Address.ToString(), AccessToken = api.BearerToken });

        await Assert.ThrowsAsync<HttpRequestException>(() => client.CoreV1.ReadNamespacedSecretAsync("db", "shop"));
    }
}
