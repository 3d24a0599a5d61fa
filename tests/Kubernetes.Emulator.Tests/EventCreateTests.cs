using System.Net;
using System.Text.Json.Nodes;

namespace Kubernetes.Emulator.Tests;

public sealed class EventCreateTests
{
    private const string Forbidden =
        "events is forbidden: User \"system:serviceaccount:csi:openbao-csi-provider\" cannot create resource \"events\" in API group \"\" in the namespace \"shop\"";

    [Fact]
    public async Task Create_LegacyEvent_Is201WithServerFieldsInTheGoFieldOrder()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);

        var (code, created) = await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.17c1"));

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal(
            ["kind", "apiVersion", "metadata", "involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp", "count", "type", "eventTime", "reportingComponent", "reportingInstance"],
            created.Select(p => p.Key));
        Assert.Equal("Event", created["kind"].Text());
        Assert.Equal("v1", created["apiVersion"].Text());
        var metadata = created["metadata"]!;
        Assert.Equal("web.17c1", metadata["name"].Text());
        Assert.Equal("shop", metadata["namespace"].Text());
        Assert.True(Guid.TryParse(metadata["uid"].Text(), out _));
        Assert.Equal(api.CurrentResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), metadata["resourceVersion"].Text());
        Assert.Equal("2024-05-01T10:00:00Z", metadata["creationTimestamp"].Text());
        Assert.Null(created["eventTime"]);
        Assert.Equal(1, created["count"]!.GetValue<int>());

        var stored = Assert.Single(api.Events("shop"));
        Assert.Equal(
            new EventRecord(
                "shop",
                "web.17c1",
                metadata["uid"].Text(),
                metadata["resourceVersion"].Text(),
                "Warning",
                "SecretRotationFailed",
                "reading secret/data/db: permission denied",
                1,
                new DateTimeOffset(2024, 5, 1, 9, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2024, 5, 1, 9, 0, 0, TimeSpan.Zero),
                null,
                new EventObjectReference("Pod", "shop", "web", "uid-web", "v1", string.Empty),
                "openbao-csi-provider",
                "node-1",
                "openbao-csi-provider",
                "node-1",
                string.Empty),
            stored);
        Assert.Equal(stored, api.GetEvent("shop", "web.17c1"));
        Assert.Empty(api.Events("bank"));
    }

    [Fact]
    public async Task Create_MinimalEvent_WritesTheFieldsGoAlwaysWrites()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);

        var (code, created) = await http.PostAsync("shop", JsonNode.Parse("""{"metadata":{"name":"bare"},"involvedObject":{"namespace":"shop"}}""")!);

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal(
            ["kind", "apiVersion", "metadata", "involvedObject", "source", "firstTimestamp", "lastTimestamp", "eventTime", "reportingComponent", "reportingInstance"],
            created.Select(p => p.Key));
        Assert.Equal("{}", created["source"]!.ToJsonString());
        Assert.Null(created["firstTimestamp"]);
        Assert.Equal(string.Empty, created["reportingComponent"].Text());
        Assert.Equal(0, api.GetEvent("shop", "bare")!.Count);
    }

    [Fact]
    public async Task Create_WithUnknownFieldsAndFractionalSeconds_DropsThemAsTheDecoderDoes()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        var body = EventHttp.LegacyPodEvent("web.1");
        body["bogus"] = 1;
        body["Reason"] = "case matters";
        body["firstTimestamp"] = "2024-05-01T11:00:00.987654+02:00";
        body["metadata"]!["uid"] = "client-chosen";

        var (_, created) = await http.PostAsync("shop", body);

        Assert.False(created.ContainsKey("bogus"));
        Assert.False(created.ContainsKey("Reason"));
        Assert.Equal("2024-05-01T09:00:00Z", created["firstTimestamp"].Text());
        Assert.NotEqual("client-chosen", created["metadata"]!["uid"].Text());
    }

    [Fact]
    public async Task Create_ExistingName_Is409AlreadyExistsAndKeepsTheFirst()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));
        var second = EventHttp.LegacyPodEvent("web.1");
        second["reason"] = "Other";

        var response = await http.PostAsync("shop", second);

        Assert.Equal(HttpStatusCode.Conflict, response.Code);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"events \"web.1\" already exists","reason":"AlreadyExists","details":{"name":"web.1","kind":"events"},"code":409}""",
            response.Raw);
        Assert.Equal("SecretRotationFailed", api.GetEvent("shop", "web.1")!.Reason);
    }

    [Fact]
    public async Task Create_WithGenerateName_AppendsFiveCharactersAndKeepsThePrefix()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        var body = EventHttp.LegacyPodEvent(name: string.Empty);
        body["metadata"] = new JsonObject { ["generateName"] = "web." };

        var (code, created) = await http.PostAsync("shop", body);

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Matches("^web\\.[bcdfghjklmnpqrstvwxz2456789]{5}$", created["metadata"]!["name"].Text());
        Assert.Equal("web.", created["metadata"]!["generateName"].Text());
        Assert.Equal(created["metadata"]!["name"].Text(), Assert.Single(api.Events()).Name);
    }

    [Fact]
    public async Task Create_WithoutNameOrGenerateName_Is422Invalid()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);

        var response = await http.PostAsync("shop", EventHttp.LegacyPodEvent(name: string.Empty));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Code);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Event \"\" is invalid: metadata.name: Required value: name or generateName is required","reason":"Invalid","details":{"kind":"Event","causes":[{"reason":"FieldValueRequired","message":"Required value: name or generateName is required","field":"metadata.name"}]},"code":422}""",
            response.Raw);
    }

    [Theory]
    [InlineData("..", "metadata.name: Invalid value: \"..\": may not be '..'")]
    [InlineData("a/b%c", "[metadata.name: Invalid value: \"a/b%c\": may not contain '/', metadata.name: Invalid value: \"a/b%c\": may not contain '%']")]
    public async Task Create_NameThatIsNoPathSegment_Is422Invalid(string name, string errors)
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);

        var (code, status) = await http.PostAsync("shop", EventHttp.LegacyPodEvent(name));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal($"Event \"{name}\" is invalid: {errors}", status["message"].Text());
    }

    [Fact]
    public async Task Create_WithUppercaseAndLongName_IsAcceptedAsEventNamesAreOnlyPathSegments()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        var name = "Web." + new string('x', 300);

        var (code, _) = await http.PostAsync("shop", EventHttp.LegacyPodEvent(name));

        Assert.Equal(HttpStatusCode.Created, code);
    }

    [Fact]
    public async Task Create_InvolvedObjectInAnotherNamespace_Is422WithTheFieldCause()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        var body = EventHttp.LegacyPodEvent("web.1");
        body["involvedObject"]!["namespace"] = "bank";

        var (code, status) = await http.PostAsync("shop", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("Invalid", status["reason"].Text());
        Assert.Equal("Event \"web.1\" is invalid: involvedObject.namespace: Invalid value: \"bank\": does not match event.namespace", status["message"].Text());
        var cause = Assert.Single(status["details"]!["causes"]!.AsArray())!;
        Assert.Equal("FieldValueInvalid", cause["reason"].Text());
        Assert.Equal("involvedObject.namespace", cause["field"].Text());
        Assert.Equal("Invalid value: \"bank\": does not match event.namespace", cause["message"].Text());
        Assert.Empty(api.Events());
    }

    [Theory]
    [InlineData("default", HttpStatusCode.Created)]
    [InlineData("shop", HttpStatusCode.UnprocessableEntity)]
    public async Task Create_AboutAClusterScopedObject_IsAllowedOnlyInDefault(string @namespace, HttpStatusCode expected)
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        var body = EventHttp.LegacyPodEvent("node-1.1", @namespace);
        body["involvedObject"] = new JsonObject { ["kind"] = "Node", ["name"] = "node-1" };

        var (code, _) = await http.PostAsync(@namespace, body);

        Assert.Equal(expected, code);
    }

    [Fact]
    public async Task Create_WithEventTime_RequiresReporterActionAndReason()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        var body = JsonNode.Parse("""{"metadata":{"name":"new"},"involvedObject":{"namespace":"shop"},"eventTime":"2024-05-01T09:00:00.000000Z"}""")!;

        var (code, status) = await http.PostAsync("shop", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal(
            ["reportingComponent", "reportingComponent", "reportingComponent", "reportingInstance", "action", "reason"],
            status["details"]!["causes"]!.AsArray().Select(c => c!["field"].Text()));
        Assert.StartsWith(
            "Event \"new\" is invalid: [reportingComponent: Required value, reportingComponent: Invalid value: \"\": name part must be non-empty, reportingComponent: Invalid value: \"\": name part must consist of alphanumeric characters",
            status["message"].Text(),
            StringComparison.Ordinal);
        Assert.EndsWith("reportingInstance: Required value, action: Required value, reason: Required value]", status["message"].Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithEventTime_ChecksLengthsAgainstAnEmptyValue()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        var body = EventHttp.LegacyPodEvent("web.1");
        body["eventTime"] = "2024-05-01T09:00:00.000000Z";
        body["action"] = "Rotate";
        body["reason"] = new string('r', 129);
        body["message"] = new string('m', 1025);

        var (code, status) = await http.PostAsync("shop", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal(
            "Event \"web.1\" is invalid: [reason: Invalid value: \"\": can have at most 128 characters, message: Invalid value: \"\": can have at most 1024 characters]",
            status["message"].Text());
    }

    [Fact]
    public async Task Create_WithEventTimeAndEverythingItNeeds_KeepsMicroseconds()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        var body = EventHttp.LegacyPodEvent("web.1");
        body["eventTime"] = "2024-05-01T09:00:00.123456Z";
        body["action"] = "Rotate";

        var (code, created) = await http.PostAsync("shop", body);

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("2024-05-01T09:00:00.123456Z", created["eventTime"].Text());
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 9, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), api.GetEvent("shop", "web.1")!.EventTime);
    }

    [Theory]
    [InlineData("reason", "5", "json: cannot unmarshal number into Go struct field Event.reason of type string")]
    [InlineData("count", "\"2\"", "json: cannot unmarshal string into Go struct field Event.count of type int32")]
    [InlineData("count", "1.5", "json: cannot unmarshal number 1.5 into Go struct field Event.count of type int32")]
    [InlineData("involvedObject", "\"web\"", "json: cannot unmarshal string into Go struct field Event.involvedObject of type v1.ObjectReference")]
    [InlineData("source", "{\"host\":true}", "json: cannot unmarshal bool into Go struct field EventSource.source.host of type string")]
    [InlineData("lastTimestamp", "\"yesterday\"", "parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"yesterday\" as \"2006\"")]
    [InlineData("lastTimestamp", "\"2024-13-01T00:00:00Z\"", "parsing time \"2024-13-01T00:00:00Z\": month out of range")]
    [InlineData("lastTimestamp", "7", "json: cannot unmarshal number into Go struct field Event.lastTimestamp of type string")]
    [InlineData("eventTime", "\"2024-05-01T09:00:00Z\"", "parsing time \"2024-05-01T09:00:00Z\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \"Z\" as \".000000\"")]
    public async Task Create_FieldOfTheWrongType_Is400WithTheDecoderText(string field, string json, string error)
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        var body = EventHttp.LegacyPodEvent("web.1");
        body[field] = JsonNode.Parse(json);

        var (code, status) = await http.PostAsync("shop", body);

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("BadRequest", status["reason"].Text());
        Assert.Equal($"Event in version \"v1\" cannot be handled as a Event: {error}", status["message"].Text());
    }

    [Fact]
    public async Task Create_BodyNamespaceOtherThanTheUrls_Is400BadRequest()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);

        var response = await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1", @namespace: "bank"));

        Assert.Equal(HttpStatusCode.BadRequest, response.Code);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the namespace of the provided object does not match the namespace sent on the request","reason":"BadRequest","code":400}""",
            response.Raw);
    }

    [Fact]
    public async Task Create_InANamespaceBeingDeleted_Is403WithTheNamespaceTerminatingCause_WhilePatchesStillWork()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));
        api.TerminateNamespace("shop");

        var (code, status) = await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.2"));
        var (patched, _) = await http.PatchAsync("shop", "web.1", """{"count":2}""", "application/strategic-merge-patch+json");

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal("Forbidden", status["reason"].Text());
        Assert.Equal("events \"web.2\" is forbidden: unable to create new content in namespace shop because it is being terminated", status["message"].Text());
        Assert.Equal(
            """{"name":"web.2","kind":"events","causes":[{"reason":"NamespaceTerminating","message":"namespace shop is being terminated","field":"metadata.namespace"}]}""",
            status["details"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, patched);
    }

    [Fact]
    public async Task Create_InvalidEventInANamespaceBeingDeleted_Is403BeforeValidation()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        api.TerminateNamespace("shop");
        var body = EventHttp.LegacyPodEvent("web.1");
        body["involvedObject"]!["namespace"] = "bank";

        var (code, status) = await http.PostAsync("shop", body);

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal("NamespaceTerminating", status["details"]!["causes"]![0]!["reason"].Text());
        Assert.Empty(api.Events());
    }

    [Theory]
    [InlineData("""{"generateName":"web."}""", "web.")]
    [InlineData("{}", "Unknown")]
    public async Task Create_WithoutANameInANamespaceBeingDeleted_NamesWhatAdmissionSees(string metadata, string name)
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        api.TerminateNamespace("shop");
        var body = EventHttp.LegacyPodEvent(name: string.Empty);
        body["metadata"] = JsonNode.Parse(metadata);

        var (code, status) = await http.PostAsync("shop", body);

        // Admission runs before the registry generates a name, and calls an object with neither "Unknown".
        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal($"events \"{name}\" is forbidden: unable to create new content in namespace shop because it is being terminated", status["message"].Text());
        Assert.Equal(name, status["details"]!["name"].Text());
    }

    [Fact]
    public async Task Create_DeniedInANamespaceBeingDeleted_IsTheRbac403()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        api.TerminateNamespace("shop");
        api.Deny("create", "events", "shop");

        var (code, status) = await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal(Forbidden, status["message"].Text());
        Assert.Equal("""{"kind":"events"}""", status["details"]!.ToJsonString());
    }

    [Fact]
    public async Task Create_WhenDenied_Is403WithoutANameBeforeTheBodyIsRead()
    {
        await using var api = await EventHttp.StartAsync();
        api.Deny("create", "events", "shop");
        using var http = ApiHttp.Create(api);

        var (code, status) = await http.SendJsonAsync(HttpMethod.Post, "/api/v1/namespaces/shop/events", "not json", "application/json");
        var (elsewhere, _) = await http.PostAsync("bank", EventHttp.LegacyPodEvent("web.1", "bank"));

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal(Forbidden, status["message"].Text());
        Assert.Equal("""{"kind":"events"}""", status["details"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, elsewhere);
        Assert.Equal(2, api.CountEventRequests("create"));
        Assert.Equal(1, api.CountEventRequests("create", "shop"));
    }

    [Theory]
    [InlineData("dryRun=All")]
    [InlineData("fieldValidation=Strict")]
    public async Task Create_WithAnOptionThatChangesTheWrite_Is400BecauseTheFakeDoesNotImplementIt(string option)
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);

        var (code, status) = await http.SendJsonAsync(
            HttpMethod.Post, $"/api/v1/namespaces/shop/events?{option}", EventHttp.LegacyPodEvent("web.1").ToJsonString(), "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Contains("does not implement", status["message"].Text(), StringComparison.Ordinal);
        Assert.Empty(api.Events());
    }
}
