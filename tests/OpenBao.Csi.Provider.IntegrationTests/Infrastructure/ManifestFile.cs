namespace OpenBao.Csi.Provider.IntegrationTests.Infrastructure;

internal static class ManifestFile
{
    /// <summary>A SecretProviderClass manifest among other documents, as it sits in an application's repository.</summary>
    public static string Write(string folder, string objects)
    {
        var path = Path.Combine(folder, $"spc-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: ServiceAccount
            metadata: {'{'}name: app{'}'}
            ---
            apiVersion: secrets-store.csi.x-k8s.io/v1
            kind: SecretProviderClass
            metadata:
              name: app-secrets
            spec:
              provider: openbao
              parameters:
                roleName: {ProviderFixture.ShopRole}
                objects: |
            {string.Join('\n', objects.Split('\n').Select(line => "      " + line))}
            """);
        return path;
    }
}
