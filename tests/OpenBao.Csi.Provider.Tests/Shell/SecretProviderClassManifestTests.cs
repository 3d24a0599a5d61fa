using OpenBao.Csi.Provider.Shell;

namespace OpenBao.Csi.Provider.Tests.Shell;

public sealed class SecretProviderClassManifestTests
{
    private static IReadOnlyList<SecretProviderClassManifest> Read(string yaml) => SecretProviderClassManifest.ReadAll(new StringReader(yaml));

    [Fact]
    public void ReadAll_SeveralDocuments_KeepsOnlySecretProviderClassesWithStringParameters()
    {
        var classes = Read("""
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: app}
            ---
            apiVersion: secrets-store.csi.x-k8s.io/v1
            kind: SecretProviderClass
            metadata:
              name: app-secrets
            spec:
              provider: openbao
              parameters:
                roleName: app
                baoSkipTLSVerify: true
                objects: |
                  - objectName: pw
                    secretPath: secret/data/shop/db
            """);

        var manifest = Assert.Single(classes);
        Assert.Equal(("app-secrets", "openbao"), (manifest.Name, manifest.Provider));
        Assert.Equal("app", manifest.Parameters["roleName"]);
        Assert.Equal("true", manifest.Parameters["baoSkipTLSVerify"]);
        Assert.StartsWith("- objectName: pw\n", manifest.Parameters["objects"], StringComparison.Ordinal);
        Assert.Empty(manifest.Problems);
    }

    [Fact]
    public void ReadAll_ObjectsAsAList_IsAProblemNamingTheParameter()
    {
        var manifest = Assert.Single(Read("kind: SecretProviderClass\nmetadata: {name: x}\nspec:\n  parameters:\n    roleName: app\n    objects:\n      - objectName: pw\n"));

        Assert.Equal(["parameter 'objects' must be a string (for objects, write a block scalar: objects: |)"], manifest.Problems);
        Assert.Equal(["roleName"], manifest.Parameters.Keys);
    }

    [Fact]
    public void ReadAll_NoParameters_IsAProblem()
    {
        var manifest = Assert.Single(Read("kind: SecretProviderClass\nspec:\n  provider: openbao\n"));

        Assert.Null(manifest.Name);
        Assert.Equal("openbao", manifest.Provider);
        Assert.Equal(["spec.parameters is missing"], manifest.Problems);
    }

    [Fact]
    public void ReadAll_TagThatIsNotAUri_IsAYamlException()
    {
        var error = Assert.Throws<YamlDotNet.Core.YamlException>(() => Read("kind: SecretProviderClass\nspec: !!bin[ry x\n  parameters!tag :[ y\n"));

        Assert.Contains("Global tags must be valid URIs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAll_NoSecretProviderClass_IsEmpty()
    {
        Assert.Empty(Read("kind: ConfigMap\n---\n- a list\n---\nplain text\n"));
    }
}
