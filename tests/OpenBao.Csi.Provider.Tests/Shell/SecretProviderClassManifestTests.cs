using OpenBao.Csi.Provider.Shell;

namespace OpenBao.Csi.Provider.Tests.Shell;

public sealed class SecretProviderClassManifestTests
{
    private const string Header = "apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata: {name: x}\nspec:\n  provider: openbao\n";

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
                baoSkipTLSVerify: "true"
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
        var manifest = Assert.Single(Read(Header + "  parameters:\n    roleName: app\n    objects:\n      - objectName: pw\n"));

        Assert.Equal(["parameter 'objects' must be a string (for objects, write a block scalar: objects: |)"], manifest.Problems);
        Assert.Equal(["roleName"], manifest.Parameters.Keys);
        Assert.Equal(["objects"], manifest.NotStrings);
    }

    [Fact]
    public void ReadAll_NoParameters_IsAProblem()
    {
        var manifest = Assert.Single(Read("apiVersion: secrets-store.csi.x-k8s.io/v1alpha1\nkind: SecretProviderClass\nmetadata: {name: app}\nspec:\n  provider: openbao\n"));

        Assert.Equal("app", manifest.Name);
        Assert.Equal("openbao", manifest.Provider);
        Assert.Equal([SecretProviderClassManifest.NoParameters], manifest.Problems);
    }

    /// <summary>kubectl reads YAML 1.1, and the CRD declares every parameter a string: the API server refuses these.</summary>
    [Theory]
    [InlineData("true", "a boolean")]
    [InlineData("off", "a boolean")]
    [InlineData("Yes", "a boolean")]
    [InlineData("8200", "a number")]
    [InlineData("0x1F", "a number")]
    [InlineData("1.5e3", "a number")]
    [InlineData(".inf", "a number")]
    [InlineData("0o17", "a number")]
    [InlineData("0X1f", "a number")]
    [InlineData("1e1_0", "a number")]
    [InlineData("!!int \"3\"", "tagged tag:yaml.org,2002:int")]
    public void ReadAll_UnquotedValueThatIsNotAString_IsAProblemSayingToQuoteIt(string value, string type)
    {
        var manifest = Assert.Single(Read(Header + $"  parameters:\n    roleName: app\n    baoSkipTLSVerify: {value}\n"));

        var problem = Assert.Single(manifest.Problems);
        Assert.StartsWith($"parameter 'baoSkipTLSVerify' is {type} to Kubernetes, whose CRD takes only strings here: quote it", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("~")]
    [InlineData("")]
    [InlineData("null")]
    public void ReadAll_NoValue_IsAProblemSayingKubernetesDropsIt(string value)
    {
        var manifest = Assert.Single(Read(Header + $"  parameters:\n    roleName: app\n    audience: {value}\n"));

        Assert.Equal(["parameter 'audience' has no value, so Kubernetes drops it (the CRD takes only strings): write '' or remove it"], manifest.Problems);
    }

    [Theory]
    [InlineData("!!binary aGVsbG8=")]
    [InlineData("!local text")]
    [InlineData("\"true\"")]
    [InlineData("'8200'")]
    [InlineData("!!str true")]
    [InlineData("https://bao:8200")]
    [InlineData("1.2.3")]
    [InlineData("300s")]
    public void ReadAll_StringValues_AreNoProblem(string value)
    {
        Assert.Empty(Assert.Single(Read(Header + $"  parameters:\n    roleName: app\n    x: {value}\n")).Problems);
    }

    [Fact]
    public void ReadAll_NoProviderAndAnApiVersionTheCrdDoesNotServe_AreProblems()
    {
        var manifest = Assert.Single(Read("apiVersion: secrets-store.csi.k8s.io/v1\nkind: SecretProviderClass\nmetadata: {name: x, namespace: shop}\nspec:\n  parameters:\n    roleName: app\n"));

        Assert.Equal(
            [
                "apiVersion must be secrets-store.csi.x-k8s.io/v1 or secrets-store.csi.x-k8s.io/v1alpha1, the versions the driver's CRD serves",
                "spec.provider is missing: the driver refuses the class (set it to openbao)",
            ],
            manifest.Problems);
        Assert.Equal("shop", manifest.Namespace);
        Assert.True(manifest.IsForThisProvider);
    }

    [Theory]
    [InlineData("\"\"", true)]
    [InlineData("openbao", true)]
    [InlineData("vault", true)]
    [InlineData("azure", false)]
    public void IsForThisProvider_OpenBaoOrVault(string provider, bool ours)
    {
        Assert.Equal(ours, Assert.Single(Read($"apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nspec:\n  provider: {provider}\n  parameters: {{a: b}}\n")).IsForThisProvider);
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
