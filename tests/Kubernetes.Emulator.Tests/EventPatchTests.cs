using System.Net;

namespace Kubernetes.Emulator.Tests;

public sealed class EventPatchTests
{
    // What client-go's EventCorrelator sends for a repeat: a two-way merge patch of count, lastTimestamp and message.
    private const string RepeatPatch = """{"count":2,"lastTimestamp":"2024-05-01T09:05:00Z","message":"reading secret/data/db: permission denied (again)"}""";

    [Theory]
    [InlineData("application/strategic-merge-patch+json")]
    [InlineData("application/merge-patch+json")]
    [InlineData("application/merge-patch+json; charset=utf-8")]
    public async Task Patch_RepeatOfAnEvent_RaisesCountAndLastTimestampAtANewResourceVersion(string contentType)
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        var (_, created) = await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));

        var (code, patched) = await http.PatchAsync("shop", "web.1", RepeatPatch, contentType);

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal(2, patched["count"]!.GetValue<int>());
        Assert.Equal("2024-05-01T09:05:00Z", patched["lastTimestamp"].Text());
        Assert.Equal("2024-05-01T09:00:00Z", patched["firstTimestamp"].Text());
        Assert.Equal(created["metadata"]!["uid"].Text(), patched["metadata"]!["uid"].Text());
        Assert.Equal(created["metadata"]!["creationTimestamp"].Text(), patched["metadata"]!["creationTimestamp"].Text());
        var before = long.Parse(created["metadata"]!["resourceVersion"].Text(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(api.CurrentResourceVersion, long.Parse(patched["metadata"]!["resourceVersion"].Text(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(api.CurrentResourceVersion > before);

        var stored = api.GetEvent("shop", "web.1")!;
        Assert.Equal(2, stored.Count);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 9, 5, 0, TimeSpan.Zero), stored.LastTimestamp);
        Assert.EndsWith("(again)", stored.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_WithNullValue_RemovesTheField()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));

        var (_, patched) = await http.PatchAsync("shop", "web.1", """{"message":null,"source":{"host":null}}""", "application/merge-patch+json");

        Assert.False(patched.ContainsKey("message"));
        Assert.Equal("""{"component":"openbao-csi-provider"}""", patched["source"]!.ToJsonString());
    }

    [Fact]
    public async Task Patch_ThatChangesNothing_KeepsTheResourceVersion()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        var (_, created) = await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));

        var (code, patched) = await http.PatchAsync("shop", "web.1", """{"count":1}""");

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal(created.ToJsonString(), patched.ToJsonString());
    }

    [Fact]
    public async Task Patch_JsonPatch_AppliesItsOperations()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));

        var (code, patched) = await http.PatchAsync(
            "shop",
            "web.1",
            """[{"op":"test","path":"/count","value":1},{"op":"replace","path":"/count","value":3},{"op":"add","path":"/metadata/labels","value":{"a/b":"c"}},{"op":"remove","path":"/source/host"}]""",
            "application/json-patch+json");

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal(3, patched["count"]!.GetValue<int>());
        Assert.Equal("c", patched["metadata"]!["labels"]!["a/b"].Text());
        Assert.Null(patched["source"]!["host"]);
    }

    [Theory]
    [InlineData("""[{"op":"replace","path":"/action","value":"x"}]""")]
    [InlineData("""[{"op":"test","path":"/count","value":5}]""")]
    [InlineData("""[{"op":"add","path":"/nothing/here","value":1}]""")]
    [InlineData("""[{"op":"frobnicate","path":"/count"}]""")]
    public async Task Patch_JsonPatchThatDoesNotApply_Is422WithTheGenericMessage(string patch)
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));

        var response = await http.PatchAsync("shop", "web.1", patch, "application/json-patch+json");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Code);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server rejected our request due to an error in our request","reason":"Invalid","details":{},"code":422}""",
            response.Raw);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData("")]
    public async Task Patch_WithAnotherContentType_Is415UnsupportedMediaType(string contentType)
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));

        var response = await http.PatchAsync("shop", "web.1", RepeatPatch, contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.Code);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml","reason":"UnsupportedMediaType","code":415}""",
            response.Raw);
        Assert.Equal(1, api.GetEvent("shop", "web.1")!.Count);
    }

    [Fact]
    public async Task Patch_MissingEvent_Is404NotFound()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);

        var (code, status) = await http.PatchAsync("shop", "web.1", RepeatPatch);

        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("events \"web.1\" not found", status["message"].Text());
        Assert.Empty(api.Events());
    }

    [Fact]
    public async Task Patch_WhenDenied_Is403NamingTheEvent()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));
        api.Deny("patch", "events", "shop");

        var (code, status) = await http.PatchAsync("shop", "web.1", RepeatPatch, "text/plain");

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal(
            "events \"web.1\" is forbidden: User \"system:serviceaccount:csi:openbao-csi-provider\" cannot patch resource \"events\" in API group \"\" in the namespace \"shop\"",
            status["message"].Text());
        Assert.Equal(1, api.GetEvent("shop", "web.1")!.Count);

        api.Allow("patch", "events", "shop");
        Assert.Equal(HttpStatusCode.OK, (await http.PatchAsync("shop", "web.1", RepeatPatch)).Code);
    }

    [Theory]
    [InlineData("application/merge-patch+json", "", "error decoding patch: unexpected end of JSON input")]
    [InlineData("application/merge-patch+json", "[]", "error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}")]
    [InlineData("application/merge-patch+json", "null", "Invalid JSON Patch")]
    [InlineData("application/strategic-merge-patch+json", "\"x\"", "json: cannot unmarshal string into Go value of type map[string]interface {}")]
    [InlineData("application/json-patch+json", "{}", "error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp")]
    [InlineData("application/json-patch+json", """[{"op":1}]""", "error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.op of type string")]
    public async Task Patch_BodyThatDoesNotDecode_Is400BeforeTheEventIsLookedUp(string contentType, string patch, string message)
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);

        var (code, status) = await http.PatchAsync("shop", "missing", patch, contentType);

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal(message, status["message"].Text());
    }

    [Fact]
    public async Task Patch_ResultThatDoesNotDecode_Is422InvalidOnThePatch()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));

        var (code, status) = await http.PatchAsync("shop", "web.1", """{"count":"many"}""", "application/merge-patch+json");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        var message = status["message"].Text();
        Assert.StartsWith(" \"\" is invalid: patch: Invalid value: \"{\\\"apiVersion\\\":\\\"v1\\\",\\\"count\\\":\\\"many\\\",", message, StringComparison.Ordinal);
        Assert.EndsWith("\": json: cannot unmarshal string into Go struct field Event.count of type int32", message, StringComparison.Ordinal);
        var details = status["details"]!.AsObject();
        Assert.Equal(["causes"], details.Select(p => p.Key));
        Assert.Equal("patch", details["causes"]![0]!["field"].Text());
    }

    [Fact]
    public async Task Patch_StrategicResultThatDoesNotDecode_ShowsThePatchAsGoPrintsAMap()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));

        var (code, status) = await http.PatchAsync("shop", "web.1", """{"source":{"host":7},"count":2,"type":"Normal"}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal(
            " \"\" is invalid: patch: Invalid value: \"map[count:2 source:map[host:7] type:Normal]\": json: cannot unmarshal number into Go struct field EventSource.source.host of type string",
            status["message"].Text());
    }

    [Fact]
    public async Task Patch_ThatMovesTheInvolvedObjectElsewhere_Is422Invalid()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));

        var (code, status) = await http.PatchAsync("shop", "web.1", """{"involvedObject":{"namespace":"bank"}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("Event \"web.1\" is invalid: involvedObject.namespace: Invalid value: \"bank\": does not match event.namespace", status["message"].Text());
        Assert.Equal("shop", api.GetEvent("shop", "web.1")!.InvolvedObject.Namespace);
    }

    [Fact]
    public async Task Patch_ThatChangesTheUid_Is422FieldIsImmutable()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));

        var (code, status) = await http.PatchAsync("shop", "web.1", """{"metadata":{"uid":"other"}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("Event \"web.1\" is invalid: metadata.uid: Invalid value: \"other\": field is immutable", status["message"].Text());
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"web.2"}}""", "the name of the object (web.2) does not match the name on the URL (web.1)")]
    [InlineData("""{"metadata":{"name":null}}""", "the name of the object () does not match the name on the URL (web.1)")]
    [InlineData("""{"metadata":{"namespace":"bank"}}""", "the namespace of the provided object does not match the namespace sent on the request")]
    public async Task Patch_ThatRenamesOrMovesTheEvent_Is400BadRequest(string patch, string message)
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));

        var (code, status) = await http.PatchAsync("shop", "web.1", patch);

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal(message, status["message"].Text());
    }

    [Fact]
    public async Task Patch_WithAStaleResourceVersion_Is409Conflict()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        var (_, created) = await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));
        var version = created["metadata"]!["resourceVersion"].Text();
        await http.PatchAsync("shop", "web.1", """{"count":2}""");

        var response = await http.PatchAsync("shop", "web.1", $$"""{"metadata":{"resourceVersion":"{{version}}"},"count":3}""");

        Assert.Equal(HttpStatusCode.Conflict, response.Code);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on events \"web.1\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"web.1","kind":"events"},"code":409}""",
            response.Raw);
        Assert.Equal(2, api.GetEvent("shop", "web.1")!.Count);
    }

    [Fact]
    public async Task Patch_WithTheCurrentResourceVersion_Applies()
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        var (_, created) = await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));
        var version = created["metadata"]!["resourceVersion"].Text();

        var (code, _) = await http.PatchAsync("shop", "web.1", $$"""{"metadata":{"resourceVersion":"{{version}}"},"count":3}""");

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal(3, api.GetEvent("shop", "web.1")!.Count);
    }

    [Theory]
    [InlineData("""{"$patch":"replace"}""", "$patch")]
    [InlineData("""{"metadata":{"finalizers":["a"]}}""", "metadata.finalizers")]
    public async Task Patch_StrategicMergeBeyondAPlainMerge_Is400BecauseTheFakeDoesNotImplementIt(string patch, string named)
    {
        await using var api = await EventHttp.StartAsync();
        using var http = ApiHttp.Create(api);
        await http.PostAsync("shop", EventHttp.LegacyPodEvent("web.1"));

        var (code, status) = await http.PatchAsync("shop", "web.1", patch);

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.EndsWith(named, status["message"].Text(), StringComparison.Ordinal);
    }
}
