using System.Net;

namespace OpenBao.Csi.Provider.KubernetesApi;

/// <summary>The API server refused a call; <see cref="Exception.Message"/> is its own Status message.</summary>
internal sealed class KubernetesApiException(int statusCode, string message, IReadOnlyList<string>? causes = null) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = (HttpStatusCode)statusCode;

    /// <summary>The Status's cause types, e.g. <c>NamespaceTerminating</c> on a 403 from admission rather than RBAC.</summary>
    public IReadOnlyList<string> Causes { get; } = causes ?? [];

    /// <summary>A create refused because its namespace is being deleted, not for want of a permission.</summary>
    public bool IsNamespaceTerminating => StatusCode == HttpStatusCode.Forbidden && Causes.Contains("NamespaceTerminating");

    /// <summary>
    /// A 403 from authorization (<c>User "…" cannot create resource "…"</c>), which a Role can fix; admission
    /// answers 403 too (a quota exceeded, a namespace being deleted), where granting a permission would not help.
    /// </summary>
    public bool IsAuthorizationDenial => StatusCode == HttpStatusCode.Forbidden && Message.Contains("\" cannot ", StringComparison.Ordinal);
}
