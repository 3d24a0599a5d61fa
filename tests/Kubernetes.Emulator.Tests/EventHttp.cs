using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Kubernetes.Emulator.Tests;

/// <summary>Raw HTTP for events, so tests see the exact wire shape and can send what no typed client would.</summary>
internal static class EventHttp
{
    public static readonly DateTimeOffset Now = new(2024, 5, 1, 10, 0, 0, TimeSpan.Zero);

    public static Task<FakeKubernetesApi> StartAsync() =>
        FakeKubernetesApi.StartAsync(new FakeKubernetesApiOptions { TimeProvider = new ManualTimeProvider(Now) });

    /// <summary>An event as client-go's legacy EventRecorder first posts it about a pod.</summary>
    public static JsonObject LegacyPodEvent(string name, string @namespace = "shop", string type = "Warning") =>
        new()
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace },
            ["involvedObject"] = new JsonObject
            {
                ["kind"] = "Pod",
                ["namespace"] = @namespace,
                ["name"] = "web",
                ["uid"] = "uid-web",
                ["apiVersion"] = "v1",
            },
            ["reason"] = "SecretRotationFailed",
            ["message"] = "reading secret/data/db: permission denied",
            ["source"] = new JsonObject { ["component"] = "openbao-csi-provider", ["host"] = "node-1" },
            ["firstTimestamp"] = "2024-05-01T09:00:00Z",
            ["lastTimestamp"] = "2024-05-01T09:00:00Z",
            ["count"] = 1,
            ["type"] = type,
            ["reportingComponent"] = "openbao-csi-provider",
            ["reportingInstance"] = "node-1",
        };

    public static Task<EventResponse> PostAsync(this HttpClient http, string @namespace, JsonNode body) =>
        http.SendJsonAsync(HttpMethod.Post, $"/api/v1/namespaces/{@namespace}/events", body.ToJsonString(), "application/json");

    public static Task<EventResponse> PatchAsync(
        this HttpClient http, string @namespace, string name, string patch, string contentType = "application/strategic-merge-patch+json") =>
        http.SendJsonAsync(HttpMethod.Patch, $"/api/v1/namespaces/{@namespace}/events/{name}", patch, contentType);

    public static Task<EventResponse> GetJsonAsync(this HttpClient http, string path) =>
        http.SendJsonAsync(HttpMethod.Get, path, body: null, contentType: null);

    public static async Task<EventResponse> SendJsonAsync(
        this HttpClient http, HttpMethod method, string path, string? body, string? contentType)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var response = await http.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        return new EventResponse(response.StatusCode, JsonNode.Parse(raw)!.AsObject(), raw);
    }

    public static string Text(this JsonNode? node) => node!.GetValue<string>();
}

/// <param name="Raw">The body as sent, for comparing the exact wire text.</param>
internal sealed record EventResponse(HttpStatusCode Code, JsonObject Body, string Raw)
{
    public void Deconstruct(out HttpStatusCode code, out JsonObject body)
    {
        code = Code;
        body = Body;
    }
}
