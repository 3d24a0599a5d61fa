using System.Text.Json.Nodes;

namespace Kubernetes.Emulator.Tests;

/// <summary>Readers for the parts of a watch event line that tests check.</summary>
internal static class WatchEvent
{
    public static string Type(JsonObject watchEvent) => watchEvent["type"]!.GetValue<string>();

    public static string? Name(JsonObject watchEvent) => watchEvent["object"]!["metadata"]!["name"]?.GetValue<string>();

    public static long ResourceVersion(JsonNode @object) => long.Parse(@object["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
}
