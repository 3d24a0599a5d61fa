using System.Net;
using k8s;
using k8s.Models;

namespace Kubernetes.Emulator.Tests;

public sealed class TokenRequestTests
{
    private static Authenticationv1TokenRequest PodBoundRequest(string podName, string podUid, long? expirationSeconds = 600) =>
        new()
        {
            Spec = new V1TokenRequestSpec
            {
                Audiences = ["openbao"],
                ExpirationSeconds = expirationSeconds,
                BoundObjectRef = new V1BoundObjectReference { Kind = "Pod", ApiVersion = "v1", Name = podName, Uid = podUid },
            },
        };

    [Fact]
    public async Task Issues_a_jwt_signed_by_the_exposed_key_with_kubernetes_claims()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddServiceAccount("shop", "app");
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var response = await cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            PodBoundRequest("app-7d9f", "0b5c7a4e-1111-2222-3333-444455556666"), "app", "shop");
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var token = response.Status.Token;
        Assert.True(Jwt.VerifiesWith(token, cluster.Api.TokenSigningPublicKeyPem));
        Assert.Equal("RS256", Jwt.Header(token)["alg"]!.GetValue<string>());
        Assert.Equal(cluster.Api.TokenSigningKeyId, Jwt.Header(token)["kid"]!.GetValue<string>());

        var claims = Jwt.Payload(token);
        Assert.Equal(cluster.Api.Issuer, claims["iss"]!.GetValue<string>());
        Assert.Equal("system:serviceaccount:shop:app", claims["sub"]!.GetValue<string>());
        Assert.Equal(["openbao"], claims["aud"]!.AsArray().Select(a => a!.GetValue<string>()));
        var issuedAt = claims["iat"]!.GetValue<long>();
        Assert.InRange(issuedAt, before - 1, after + 1);
        Assert.Equal(issuedAt, claims["nbf"]!.GetValue<long>());
        Assert.Equal(issuedAt + 600, claims["exp"]!.GetValue<long>());

        var kubernetes = claims["kubernetes.io"]!.AsObject();
        Assert.Equal("shop", kubernetes["namespace"]!.GetValue<string>());
        Assert.Equal("app-7d9f", kubernetes["pod"]!["name"]!.GetValue<string>());
        Assert.Equal("0b5c7a4e-1111-2222-3333-444455556666", kubernetes["pod"]!["uid"]!.GetValue<string>());
        Assert.Equal("app", kubernetes["serviceaccount"]!["name"]!.GetValue<string>());
        Assert.True(Guid.TryParse(kubernetes["serviceaccount"]!["uid"]!.GetValue<string>(), out _));

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(issuedAt + 600).UtcDateTime, response.Status.ExpirationTimestamp?.ToUniversalTime());
        Assert.Equal(["openbao"], response.Spec.Audiences);
        Assert.Equal(600, response.Spec.ExpirationSeconds);
    }

    [Fact]
    public async Task Records_each_request_body_typed()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddServiceAccount("shop", "app");

        await cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(PodBoundRequest("app-7d9f", "uid-1", 3600), "app", "shop");
        await cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec() }, "app", "shop");

        var records = cluster.Api.TokenRequests;
        Assert.Equal(2, records.Count);
        Assert.Equal(new TokenRequestRecord("shop", "app", records[0].Audiences, 3600, "Pod", "app-7d9f", "uid-1"), records[0]);
        Assert.Equal(["openbao"], records[0].Audiences);
        Assert.Equal(new TokenRequestRecord("shop", "app", records[1].Audiences, null, null, null, null), records[1]);
        Assert.Empty(records[1].Audiences);
    }

    [Fact]
    public async Task Defaults_audiences_and_expiry_like_the_api_server()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddServiceAccount("shop", "app");

        var response = await cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec() }, "app", "shop");

        Assert.Equal(["https://kubernetes.default.svc.cluster.local"], response.Spec.Audiences);
        Assert.Equal(3600, response.Spec.ExpirationSeconds);
        var claims = Jwt.Payload(response.Status.Token);
        Assert.Equal(3600, claims["exp"]!.GetValue<long>() - claims["iat"]!.GetValue<long>());
        Assert.Null(claims["kubernetes.io"]!["pod"]);
    }

    [Fact]
    public async Task Missing_service_account_is_404_NotFound()
    {
        await using var cluster = await TestCluster.StartAsync();

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.NotFound, () =>
            cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(PodBoundRequest("p", "u"), "ghost", "shop"));

        Assert.Equal("NotFound", status.Reason);
        Assert.Equal("serviceaccounts \"ghost\" not found", status.Message);
        Assert.Equal("ghost", status.Details.Name);
        Assert.Equal("serviceaccounts", status.Details.Kind);
    }

    [Fact]
    public async Task Denied_token_create_is_403_Forbidden_with_the_rbac_message()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddServiceAccount("shop", "app");
        cluster.Api.Deny("create", "serviceaccounts/token");

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.Forbidden, () =>
            cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(PodBoundRequest("p", "u"), "app", "shop"));

        StatusAssert.IsForbidden(
            status,
            "serviceaccounts \"app\" is forbidden: User \"system:serviceaccount:csi:openbao-csi-provider\" cannot create resource \"serviceaccounts/token\" in API group \"\" in the namespace \"shop\"",
            "app",
            "serviceaccounts");
        Assert.Single(cluster.Api.TokenRequests);
    }

    [Fact]
    public async Task Denial_can_be_scoped_to_a_namespace_and_lifted()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddServiceAccount("shop", "app");
        cluster.Api.AddServiceAccount("bank", "app");
        cluster.Api.Deny("create", "serviceaccounts/token", "shop");

        await cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(PodBoundRequest("p", "u"), "app", "bank");
        await StatusAssert.FailsWithAsync(HttpStatusCode.Forbidden, () =>
            cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(PodBoundRequest("p", "u"), "app", "shop"));

        cluster.Api.Allow("create", "serviceaccounts/token", "shop");
        await cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(PodBoundRequest("p", "u"), "app", "shop");
    }

    [Fact]
    public async Task Token_request_in_a_terminating_namespace_is_403_NamespaceTerminating_before_validation_and_lookups()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.TerminateNamespace("shop");

        // Neither the too-short expiry (422) nor the unknown service account (404) is reached.
        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.Forbidden, () =>
            cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(PodBoundRequest("p", "u", 599), "app", "shop"));

        StatusAssert.IsForbidden(
            status,
            "serviceaccounts \"app\" is forbidden: unable to create new content in namespace shop because it is being terminated",
            "app",
            "serviceaccounts");
        var cause = Assert.Single(status.Details.Causes);
        Assert.Equal(("NamespaceTerminating", "namespace shop is being terminated", "metadata.namespace"), (cause.Reason, cause.Message, cause.Field));
        Assert.Single(cluster.Api.TokenRequests);
    }

    [Fact]
    public async Task Denied_token_create_in_a_terminating_namespace_is_the_rbac_403()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddServiceAccount("shop", "app");
        cluster.Api.TerminateNamespace("shop");
        cluster.Api.Deny("create", "serviceaccounts/token", "shop");

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.Forbidden, () =>
            cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(PodBoundRequest("p", "u"), "app", "shop"));

        Assert.StartsWith("serviceaccounts \"app\" is forbidden: User ", status.Message, StringComparison.Ordinal);
        Assert.Null(status.Details.Causes);
    }

    [Fact]
    public async Task Expiry_under_ten_minutes_is_422_Invalid()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddServiceAccount("shop", "app");

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity, () =>
            cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(PodBoundRequest("p", "u", 599), "app", "shop"));

        Assert.Equal("Invalid", status.Reason);
        Assert.Equal(
            "TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes",
            status.Message);
        Assert.Equal("spec.expirationSeconds", Assert.Single(status.Details.Causes).Field);
    }

    [Fact]
    public async Task Registered_pod_with_another_uid_is_409_Conflict()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddServiceAccount("shop", "app");
        cluster.Api.AddPod("shop", "app-7d9f", "uid-now", "app");

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.Conflict, () =>
            cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(PodBoundRequest("app-7d9f", "uid-before"), "app", "shop"));

        Assert.Equal("Conflict", status.Reason);
        Assert.StartsWith("Operation cannot be fulfilled on Pod \"app-7d9f\": the UID in the bound object reference (uid-before)", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registered_pod_of_another_service_account_is_400_BadRequest()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddServiceAccount("shop", "app");
        cluster.Api.AddPod("shop", "app-7d9f", "uid-1", "other");

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.BadRequest, () =>
            cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(PodBoundRequest("app-7d9f", "uid-1"), "app", "shop"));

        Assert.Equal("BadRequest", status.Reason);
        Assert.Contains("cannot bind token for serviceaccount \"app\"", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unregistered_pod_is_404_only_when_pods_are_required()
    {
        await using var cluster = await TestCluster.StartAsync(new FakeKubernetesApiOptions { RequireRegisteredPods = true });
        cluster.Api.AddServiceAccount("shop", "app");

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.NotFound, () =>
            cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(PodBoundRequest("gone", "u"), "app", "shop"));

        Assert.Equal("pods \"gone\" not found", status.Message);
    }

    [Fact]
    public async Task TokenRequest_ForADeletedPod_Is404NotFoundEvenWhenPodsAreNotRequired()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddServiceAccount("shop", "app");
        cluster.Api.AddPod("shop", "app-7d9f", "uid-1", "app");
        cluster.Api.DeletePod("shop", "app-7d9f");

        var status = await StatusAssert.FailsWithAsync(HttpStatusCode.NotFound, () =>
            cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(PodBoundRequest("app-7d9f", "uid-1"), "app", "shop"));

        Assert.Equal("pods \"app-7d9f\" not found", status.Message);
    }

    [Fact]
    public async Task Token_expiry_follows_the_injected_clock()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await using var cluster = await TestCluster.StartAsync(new FakeKubernetesApiOptions { TimeProvider = clock });
        cluster.Api.AddServiceAccount("shop", "app");

        var response = await cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(PodBoundRequest("p", "u", 1200), "app", "shop");

        Assert.Equal(new DateTime(2030, 1, 2, 3, 24, 5, DateTimeKind.Utc), response.Status.ExpirationTimestamp?.ToUniversalTime());
        Assert.Equal(clock.GetUtcNow().ToUnixTimeSeconds(), Jwt.Payload(response.Status.Token)["iat"]!.GetValue<long>());
    }

    [Fact]
    public async Task Response_echoes_the_bound_object_reference()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.AddServiceAccount("shop", "app");

        var response = await cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(PodBoundRequest("app-7d9f", "uid-1"), "app", "shop");

        Assert.Equal("TokenRequest", response.Kind);
        Assert.Equal("authentication.k8s.io/v1", response.ApiVersion);
        Assert.Equal("app-7d9f", response.Spec.BoundObjectRef.Name);
        Assert.Equal("uid-1", response.Spec.BoundObjectRef.Uid);
        Assert.Equal("app", response.Metadata.Name);
        Assert.Equal("shop", response.Metadata.NamespaceProperty);
    }
}
