using System.Net;

namespace OpenBao.Csi.Provider.Auth;

/// <summary>A service-account token could not be obtained from Kubernetes; <see cref="ApiStatus"/> is the API's answer, if any.</summary>
internal sealed class ServiceAccountTokenException(string message, HttpStatusCode? apiStatus = null, Exception? inner = null) : Exception(message, inner)
{
    public HttpStatusCode? ApiStatus { get; } = apiStatus;
}
