using System.Globalization;
using System.Net;

namespace Kubernetes.Emulator.Tests;

public sealed class EventReadTests
{
    [Fact]
    public async Task Get_ExistingEvent_ReturnsWhatCreateReturned()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        var (_, created) = await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));

        var (code, read) = await http.GetJsonAsync("/api/v1/namespaces/shop/events/web.1");

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal(created.ToJsonString(), read.ToJsonString());
    }

    [Fact]
    public async Task Get_MissingEvent_Is404NotFound()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        await http.PostAsync("bank", EventHttp.LegacyPodEvent("web.1", "bank"));

        var response = await http.GetJsonAsync("/api/v1/namespaces/shop/events/web.1");

        Assert.Equal(HttpStatusCode.NotFound, response.Code);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"events \"web.1\" not found","reason":"NotFound","details":{"name":"web.1","kind":"events"},"code":404}""",
            response.Raw);
    }

    [Fact]
    public async Task Get_WhenDenied_Is403NamingTheEvent()
    {
        await using var api = await EventHttp.StartAsync();
        api.Deny("get", "events");
        using var http = ApiHttp.Create(api);

        var (code, status) = await http.GetJsonAsync("/api/v1/namespaces/shop/events/web.1");

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal(
            "events \"web.1\" is forbidden: User \"system:serviceaccount:csi:openbao-csi-provider\" cannot get resource \"events\" in API group \"\" in the namespace \"shop\"",
            status["message"].Text());
    }

    [Fact]
    public async Task ListNamespaced_ReturnsAnEventListOfThatNamespaceAtTheClusterResourceVersion()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.2"));
        await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));
        await http.PostAsync("bank", EventHttp.LegacyPodEvent("web.0", "bank"));
        api.AddSecret("bank", "later", new Dictionary<string, byte[]>());

        var (code, list) = await http.GetJsonAsync("/api/v1/namespaces/shop/events");

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal(["kind", "apiVersion", "metadata", "items"], list.Select(p => p.Key));
        Assert.Equal("EventList", list["kind"].Text());
        Assert.Equal("v1", list["apiVersion"].Text());
        Assert.Equal(api.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture), list["metadata"]!["resourceVersion"].Text());
        var items = list["items"]!.AsArray();
        Assert.Equal(["web.1", "web.2"], items.Select(i => i!["metadata"]!["name"].Text()));
        Assert.All(items, i => Assert.False(i!.AsObject().ContainsKey("kind")));
        Assert.All(items, i => Assert.Equal("metadata", i!.AsObject().First().Key));
    }

    [Fact]
    public async Task ListAllNamespaces_ReturnsEveryEventInKeyOrder()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));
        await http.PostAsync("bank", EventHttp.LegacyPodEvent("web.1", "bank"));

        var (_, list) = await http.GetJsonAsync("/api/v1/events");

        Assert.Equal(["bank", "shop"], list["items"]!.AsArray().Select(i => i!["metadata"]!["namespace"].Text()));
        Assert.Equal(["bank", "shop"], api.Events().Select(e => e.Namespace));
    }

    [Theory]
    [InlineData("involvedObject.name=web", "a,b")]
    [InlineData("involvedObject.uid=uid-other", "c")]
    [InlineData("reason=SecretRotationRecovered", "b")]
    [InlineData("type=Warning", "a,c")]
    [InlineData("type!=Warning", "b")]
    [InlineData("involvedObject.kind=Pod,involvedObject.namespace=shop,reason=SecretRotationFailed", "a,c")]
    [InlineData("source=openbao-csi-provider", "a,b,c")]
    [InlineData("reportingComponent=openbao-csi-provider", "a,b,c")]
    [InlineData("metadata.name=b", "b")]
    [InlineData("involvedObject.fieldPath=", "a,b,c")]
    public async Task ListNamespaced_WithFieldSelector_ReturnsTheMatchingEvents(string selector, string expected)
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        await http.PostAsync("shop", EventHttp.LegacyPodEvent("a"));
        var recovered = EventHttp.LegacyPodEvent("b", type: "Normal");
        recovered["reason"] = "SecretRotationRecovered";
        await http.PostAsync("shop", recovered);
        var other = EventHttp.LegacyPodEvent("c");
        other["involvedObject"]!["name"] = "api";
        other["involvedObject"]!["uid"] = "uid-other";
        await http.PostAsync("shop", other);

        var (code, list) = await http.GetJsonAsync($"/api/v1/namespaces/shop/events?fieldSelector={Uri.EscapeDataString(selector)}");

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal(expected, string.Join(',', list["items"]!.AsArray().Select(i => i!["metadata"]!["name"].Text())));
    }

    [Fact]
    public async Task ListNamespaced_BySourceOfAnEventWithoutOne_MatchesItsReportingComponent()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        var body = EventHttp.LegacyPodEvent("a");
        body.Remove("source");
        await http.PostAsync("shop", body);

        var (_, list) = await http.GetJsonAsync("/api/v1/namespaces/shop/events?fieldSelector=source%3Dopenbao-csi-provider");

        Assert.Single(list["items"]!.AsArray());
    }

    [Theory]
    [InlineData("message=x", "field label not supported: message")]
    [InlineData("spec.nodeName=node-1", "field label not supported: spec.nodeName")]
    [InlineData("reason", "invalid selector: 'reason'; can't understand 'reason'")]
    public async Task ListNamespaced_WithBadFieldSelector_Is400BadRequest(string selector, string message)
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);

        var (code, status) = await http.GetJsonAsync($"/api/v1/namespaces/shop/events?fieldSelector={Uri.EscapeDataString(selector)}");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal(message, status["message"].Text());
    }

    [Fact]
    public async Task ListNamespaced_AsAWatch_Is400BecauseTheFakeDoesNotImplementIt()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);

        var (code, status) = await http.GetJsonAsync("/api/v1/namespaces/shop/events?watch=true");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Contains("does not implement watching events", status["message"].Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAllNamespaces_WhenListDenied_Is403AtTheClusterScope()
    {
        await using var api = await EventHttp.StartAsync();
        api.Deny("list", "events");
        using var http = ApiHttp.Create(api);

        var (code, status) = await http.GetJsonAsync("/api/v1/events");

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal(
            "events is forbidden: User \"system:serviceaccount:csi:openbao-csi-provider\" cannot list resource \"events\" in API group \"\" at the cluster scope",
            status["message"].Text());
    }

    [Fact]
    public async Task Delete_ExistingEvent_Is200SuccessStatusWithItsUid()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        var (_, created) = await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));
        var before = api.CurrentResourceVersion;

        var response = await http.SendJsonAsync(HttpMethod.Delete, "/api/v1/namespaces/shop/events/web.1", body: null, contentType: null);

        Assert.Equal(HttpStatusCode.OK, response.Code);
        Assert.Equal(
            $$$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","details":{"name":"web.1","kind":"events","uid":"{{{created["metadata"]!["uid"].Text()}}}"}}""",
            response.Raw);
        Assert.Null(api.GetEvent("shop", "web.1"));
        Assert.True(api.CurrentResourceVersion > before);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetJsonAsync("/api/v1/namespaces/shop/events/web.1")).Code);
    }

    [Fact]
    public async Task Delete_MissingEvent_Is404NotFound()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);

        var (code, status) = await http.SendJsonAsync(HttpMethod.Delete, "/api/v1/namespaces/shop/events/web.1", body: null, contentType: null);

        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("events \"web.1\" not found", status["message"].Text());
    }

    [Fact]
    public async Task CountEventRequests_CountsEachVerbInItsNamespace()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));
        await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));
        await http.PatchAsync("shop", "web.1", """{"count":2}""");
        await http.GetJsonAsync("/api/v1/namespaces/shop/events/web.1");
        await http.GetJsonAsync("/api/v1/namespaces/shop/events");
        await http.GetJsonAsync("/api/v1/events");
        await http.SendJsonAsync(HttpMethod.Delete, "/api/v1/namespaces/bank/events/web.1", body: null, contentType: null);
        await http.GetJsonAsync("/api/v1/namespaces/shop/pods");

        Assert.Equal(2, api.CountEventRequests("create", "shop"));
        Assert.Equal(1, api.CountEventRequests("patch"));
        Assert.Equal(1, api.CountEventRequests("get"));
        Assert.Equal(2, api.CountEventRequests("list"));
        Assert.Equal(1, api.CountEventRequests("list", "shop"));
        Assert.Equal(0, api.CountEventRequests("delete", "shop"));
        Assert.Equal(1, api.CountEventRequests("delete", "bank"));
    }

    [Fact]
    public async Task GetEvent_ReadsBackEveryInvolvedObjectField()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        var body = EventHttp.LegacyPodEvent("web.1");
        body["involvedObject"]!["fieldPath"] = "spec.containers{app}";

        await http.PostAsync("shop", body);

        Assert.Equal(new EventObjectReference("Pod", "shop", "web", "uid-web", "v1", "spec.containers{app}"), api.GetEvent("shop", "web.1")!.InvolvedObject);
        Assert.Null(api.GetEvent("shop", "web.2"));
    }
}
