using System.Text.Json.Nodes;

namespace Kubernetes.Emulator;

/// <summary>What an endpoint answers: an HTTP status and the JSON object to send.</summary>
internal sealed record ApiResponse(int StatusCode, JsonObject Body);
