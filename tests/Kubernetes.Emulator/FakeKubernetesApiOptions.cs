namespace Kubernetes.Emulator;

/// <summary>Settings fixed for the lifetime of one <see cref="FakeKubernetesApi"/>.</summary>
public sealed class FakeKubernetesApiOptions
{
    /// <summary>Serve HTTPS with a fresh self-signed certificate for 127.0.0.1 instead of plain HTTP.</summary>
    public bool UseHttps { get; init; }

    /// <summary>
    /// With <see cref="UseHttps"/>: DNS names the certificate also holds, such as the <c>kubernetes.default.svc</c> a
    /// kubeconfig's <c>tls-server-name</c> names; <see cref="FakeKubernetesApi.WriteKubeconfig"/> names the first.
    /// </summary>
    public IReadOnlyList<string> ServerNames { get; init; } = [];

    /// <summary>The <c>iss</c> claim of issued tokens.</summary>
    public string Issuer { get; init; } = "https://kubernetes.default.svc.cluster.local";

    /// <summary>Audiences used when a TokenRequest names none, like the API server's <c>--api-audiences</c>.</summary>
    public IReadOnlyList<string> DefaultAudiences { get; init; } = ["https://kubernetes.default.svc.cluster.local"];

    /// <summary>The user named in Forbidden messages: the identity the client would have in a cluster.</summary>
    public string CallerUserName { get; init; } = "system:serviceaccount:csi:openbao-csi-provider";

    /// <summary>
    /// When false (the default) a TokenRequest bound to a Pod that was never added with
    /// <see cref="FakeKubernetesApi.AddPod"/> is trusted as stated, so tests need not mirror every pod.
    /// When true it gets 404 like a real API server. Added pods are always checked (service account and UID),
    /// and pods removed with <see cref="FakeKubernetesApi.DeletePod"/> always get 404.
    /// </summary>
    public bool RequireRegisteredPods { get; init; }

    /// <summary>Clock for token iat/nbf/exp, object timestamps, watch timeouts and watch bookmarks.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
