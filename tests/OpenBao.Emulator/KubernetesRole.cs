namespace OpenBao.Emulator;

/// <summary>A role of the kubernetes auth method. Bound lists accept <c>*</c> globs, as OpenBao's do.</summary>
/// <param name="TokenTtl">Zero means the mount default (768h).</param>
/// <param name="Audience">When set, the JWT's <c>aud</c> must contain it.</param>
public sealed record KubernetesRole(
    IReadOnlyList<string> BoundServiceAccountNames,
    IReadOnlyList<string> BoundServiceAccountNamespaces,
    IReadOnlyList<string> Policies,
    TimeSpan TokenTtl,
    string? Audience = null);
