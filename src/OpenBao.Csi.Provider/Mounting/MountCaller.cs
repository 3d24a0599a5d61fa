namespace OpenBao.Csi.Provider.Mounting;

/// <summary>The pod and SecretProviderClass behind a Mount; any part may be missing from a malformed request.</summary>
internal sealed record MountCaller(string? Namespace, string? Pod, string? PodUid, string? SecretProviderClass)
{
    /// <summary>"namespace/pod (SecretProviderClass x)", with "?" for what the request did not say.</summary>
    public string Describe() =>
        SecretProviderClass is { } spc ? $"{Namespace ?? "?"}/{Pod ?? "?"} (SecretProviderClass {spc})" : $"{Namespace ?? "?"}/{Pod ?? "?"}";
}
