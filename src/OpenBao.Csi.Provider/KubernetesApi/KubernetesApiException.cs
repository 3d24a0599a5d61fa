using System.Net;

namespace OpenBao.Csi.Provider.KubernetesApi;

/// <summary>The API server refused a call; <see cref="Exception.Message"/> is its own Status message.</summary>
internal sealed class KubernetesApiException(int statusCode, string message) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = (HttpStatusCode)statusCode;
}
