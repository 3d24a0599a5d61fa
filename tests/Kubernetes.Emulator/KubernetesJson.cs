using System.Text.Encodings.Web;
using System.Text.Json;

namespace Kubernetes.Emulator;

internal static class KubernetesJson
{
    /// <summary>
    /// Go writes quotes in strings as \" rather than \u0022; clients put the raw body into exception
    /// messages, so the text must read the same as a real API server's.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
