using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kubernetes.Emulator.Tests;

internal static class StatusAssert
{
    /// <summary>
    /// Asserts the client threw <see cref="HttpOperationException"/> with <paramref name="code"/>, and that
    /// the body it kept parses as a Failure Status with that code, so provider code can read it the same way.
    /// </summary>
    public static async Task<V1Status> FailsWithAsync(HttpStatusCode code, Func<Task> call)
    {
        var exception = await Assert.ThrowsAsync<HttpOperationException>(call);
        Assert.Equal(code, exception.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(exception.Response.Content);
        Assert.Equal("Status", status.Kind);
        Assert.Equal("v1", status.ApiVersion);
        Assert.Equal("Failure", status.Status);
        Assert.Equal((int)code, status.Code);
        return status;
    }

    /// <summary>A 403's Status as the API server writes it: reason Forbidden, the message, and the object it names.</summary>
    public static void IsForbidden(V1Status status, string message, string? name, string kind)
    {
        Assert.Equal("Forbidden", status.Reason);
        Assert.Equal(message, status.Message);
        Assert.Equal(name, status.Details.Name);
        Assert.Equal(kind, status.Details.Kind);
    }
}
