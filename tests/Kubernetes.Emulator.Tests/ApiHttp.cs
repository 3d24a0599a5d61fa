using System.Net.Http.Headers;

namespace Kubernetes.Emulator.Tests;

/// <summary>A plain HttpClient with the fake's bearer token, for what the typed client cannot do, like watches.</summary>
internal static class ApiHttp
{
    public static HttpClient Create(FakeKubernetesApi api)
    {
        var http = new HttpClient { BaseAddress = api.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", api.BearerToken);
        return http;
    }
}
