using System.Net;

namespace OpenBao.Csi.Provider.KubernetesApi;

/// <summary>The API server refused a call; <see cref="Exception.Message"/> is its own Status message.</summary>
internal sealed class KubernetesApiException(int statusCode, string message, IReadOnlyList<string>? causes = null, string? reason = null) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = (HttpStatusCode)statusCode;

    /// <summary>The Status's reason, e.g. <c>AlreadyExists</c>; null when the body was not a Status.</summary>
    public string? Reason { get; } = reason;

    /// <summary>
    /// A create whose name is taken. Other 409s (<c>Conflict</c>: a ResourceQuota update raced) are not: the object
    /// was not created. client-go's <c>IsAlreadyExists</c> reads the reason, not the code, for the same cause.
    /// </summary>
    public bool IsAlreadyExists => StatusCode == HttpStatusCode.Conflict && Reason == "AlreadyExists";

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
