using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Csi.Driver.Emulator;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using OpenBao.Csi.Provider.IntegrationTests.Infrastructure;
using File = System.IO.File;
using OpenBao.Emulator;

namespace OpenBao.Csi.Provider.IntegrationTests;

/// <summary>Formats, templates, folders, version history and certificates, through the socket against an OpenBao of their own.</summary>
[Collection(ProviderCollection.Name)]
public sealed class FileLayoutTests(ProviderFixture fixture) : IAsyncLifetime
{
    private OpenBaoEmulator _bao = null!;
    private ProviderProcess _provider = null!;

    public async Task InitializeAsync()
    {
        _bao = await OpenBaoEmulator.StartAsync(new EmulatorOptions { Issuer = fixture.Bao.Issuer, TimeProvider = fixture.Clock });
        _bao.EnableKvV2("secret");
        _bao.EnableKvV1("kv");
        _bao.EnablePki(withIntermediateCa: true);
        _bao.AddPkiRole("web", ["example.com"], allowSubdomains: true);
        _bao.AddPolicy(
            "files",
            new PolicyRule("secret/data/shop/*", "read"),
            new PolicyRule("secret/metadata/shop/*", "read", "list"),
            new PolicyRule("kv/shop/*", "read", "list"),
            // An easy slip: the KV v1 form of a KV v2 path, which OpenBao answers with a 404 that says so.
            new PolicyRule("secret/shop/*", "read", "list"),
            new PolicyRule("pki/issue/web", "create", "update"));
        _bao.EnableKubernetesAuth();
        _bao.AddKubernetesRole("kubernetes", "app", new KubernetesRole(["app"], ["shop"], ["files"], TimeSpan.FromMinutes(20), Audience: "openbao"));
        // One clock for OpenBao and the node, as NTP keeps them: other tests move the fixture's.
        _provider = await ProviderProcess.StartAsync(fixture.Logs, options => options.OpenBaoAddress = _bao.Address, services => services.AddSingleton<TimeProvider>(fixture.Clock));
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _bao.DisposeAsync();
    }

    private DriverMount Pod(string objects)
    {
        var mount = new DriverMount().WithParameter("roleName", "app").WithParameter("objects", objects);
        mount.Tokens["openbao"] = fixture.Jwt();
        return mount;
    }

    private async Task<Dictionary<string, (string Text, byte[] Bytes, string Version)>> MountAsync(DriverMount pod)
    {
        var response = await _provider.Client.MountAsync(pod.ToRequest());
        var versions = response.ObjectVersion.ToDictionary(v => v.Id, v => v.Version);
        return response.Files.ToDictionary(f => f.Path, f => (f.Contents.ToStringUtf8(), f.Contents.ToByteArray(), versions[f.Path]));
    }

    private string Remember(string value) => fixture.Witness.Remember(value);

    [Fact]
    public async Task EnvFormat_SourcedBySh_GivesTheExactValues()
    {
        var awkward = Remember("it's \"$HOME\" `id` \\ \n ünï 🔑 " + Guid.NewGuid().ToString("N"));
        _bao.PutKvV2("secret", "shop/app", new Dictionary<string, object?> { ["DB_PASSWORD"] = awkward, ["PORT"] = 5432, ["ignored"] = "x" });

        var files = await MountAsync(Pod("- objectName: app.env\n  secretPath: secret/data/shop/app\n  format: env\n  keys: [DB_PASSWORD, PORT]"));

        var file = Path.GetTempFileName();
        await File.WriteAllBytesAsync(file, files["app.env"].Bytes);
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"set -a; . '{file}'; printf '%s\\0' \"$DB_PASSWORD\" \"$PORT\"");
        using var shell = Process.Start(start)!;
        var output = await shell.StandardOutput.ReadToEndAsync();
        await shell.WaitForExitAsync();
        File.Delete(file);
        Assert.Equal([awkward, "5432", ""], output.Split('\0'));
    }

    [Fact]
    public async Task Template_CombinesTwoObjects()
    {
        var password = Remember("p@ss/" + Guid.NewGuid().ToString("N"));
        _bao.PutKvV2("secret", "shop/db", new Dictionary<string, object?> { ["user"] = "shop", ["password"] = password });
        _bao.PutKvV2("secret", "shop/host", new Dictionary<string, object?> { ["host"] = "db.internal" });

        var files = await MountAsync(Pod("""
            - objectName: user
              secretPath: secret/data/shop/db
              secretKey: user
              render: false
            - objectName: password
              secretPath: secret/data/shop/db
              secretKey: password
              render: false
            - objectName: database.url
              secretPath: secret/data/shop/host
              template: "postgres://{{ objects.user }}:{{ objects.password | url_encode }}@{{ data.host }}/shop"
            - objectName: user.txt
              template: "user={{ objects.user }}"
            """));

        Assert.Equal(["database.url", "user.txt"], files.Keys.Order());
        Assert.Equal($"postgres://shop:{Uri.EscapeDataString(password)}@db.internal/shop", files["database.url"].Text);
        Assert.Equal("user=shop", files["user.txt"].Text);
    }

    [Fact]
    public async Task Folder_ChildAddedAndRemovedBetweenPolls_FilesFollow()
    {
        _bao.PutKvV2("secret", "shop/config/a", new Dictionary<string, object?> { ["k"] = "1" });
        _bao.PutKvV2("secret", "shop/config/b", new Dictionary<string, object?> { ["k"] = "2" });
        _bao.PutKvV2("secret", "shop/config/sub/deep", new Dictionary<string, object?> { ["k"] = "3" });
        var pod = Pod("- objectName: config\n  secretPath: secret/data/shop/config/*\n- objectName: legacy\n  secretPath: kv/shop/*\n  secretKey: k");
        _bao.PutKvV1("kv", "shop/old", new Dictionary<string, object?> { ["k"] = "v1" });

        var first = await MountAsync(pod);
        _bao.PutKvV2("secret", "shop/config/c", new Dictionary<string, object?> { ["k"] = "4" });
        _bao.DeleteKvV2Metadata("secret", "shop/config/a");
        var second = await MountAsync(pod);

        Assert.Equal(["config/a", "config/b", "legacy/old"], first.Keys.Order());
        Assert.Equal("{\n  \"k\": \"1\"\n}\n", first["config/a"].Text);
        Assert.Equal("v1", first["legacy/old"].Text);
        Assert.Equal(["config/b", "config/c", "legacy/old"], second.Keys.Order());
        Assert.Equal(first["config/b"].Version, second["config/b"].Version);
    }

    [Theory]
    [InlineData("- objectName: config/a\n  secretPath: secret/data/shop/config/b\n  secretKey: k", "'config/a' is written by 2 objects once folders and version histories are expanded")]
    [InlineData("- objectName: config/a/x\n  secretPath: secret/data/shop/config/b\n  secretKey: k", "'config/a/x' needs a folder 'config/a' where another object puts a file once folders are expanded")]
    public async Task Folder_ChildCollidingWithAnotherObject_InvalidArgumentNamingThePath(string other, string problem)
    {
        _bao.PutKvV2("secret", "shop/config/a", new Dictionary<string, object?> { ["k"] = "1" });
        _bao.PutKvV2("secret", "shop/config/b", new Dictionary<string, object?> { ["k"] = "2" });

        _bao.ClearRequests();

        var error = await Assert.ThrowsAsync<RpcException>(() => MountAsync(Pod("- objectName: config\n  secretPath: secret/data/shop/config/*\n" + other)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(problem, error.Status.Detail, StringComparison.Ordinal);
        // Told by the listing alone: a mount that must fail reads nothing, so it issues no credential.
        Assert.Equal(0, _bao.CountRequests("GET", "/v1/secret/data/"));
    }

    [Fact]
    public async Task Folder_KvV1PathOnAKvV2Mount_FailsWithOpenBaosReason_NotAnEmptyFolder()
    {
        _bao.PutKvV2("secret", "shop/config/a", new Dictionary<string, object?> { ["k"] = "1" });

        var failure = await Assert.ThrowsAsync<RpcException>(() => MountAsync(Pod("- objectName: config\n  secretPath: secret/shop/config/*")));

        Assert.Equal(StatusCode.NotFound, failure.StatusCode);
        Assert.Contains("'config'", failure.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("Invalid path for a versioned K/V secrets engine", failure.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionHistory_AfterARotation_FilesShiftAndSkipDeletedVersions()
    {
        foreach (var value in new[] { "v1", "v2", "v3" })
        {
            _bao.PutKvV2("secret", "shop/signing", new Dictionary<string, object?> { ["key"] = value });
        }

        _bao.DeleteKvV2Versions("secret", "shop/signing", 2);
        var pod = Pod("- objectName: signing\n  secretPath: secret/data/shop/signing\n  secretKey: key\n  versionHistory: 3");

        var before = await MountAsync(pod);
        _bao.PutKvV2("secret", "shop/signing", new Dictionary<string, object?> { ["key"] = "v4" });
        var after = await MountAsync(pod);

        Assert.Equal(["signing/0", "signing/1"], before.Keys.Order());
        Assert.Equal(("v3", "v1"), (before["signing/0"].Text, before["signing/1"].Text));
        Assert.Equal(["signing/0", "signing/1", "signing/2"], after.Keys.Order());
        Assert.Equal(("v4", "v3", "v1"), (after["signing/0"].Text, after["signing/1"].Text, after["signing/2"].Text));
        // Versions never change: the second poll reads the metadata and only the new version.
        Assert.Equal(3, _bao.CountRequests("GET", "/v1/secret/data/shop/signing"));
        Assert.Equal(2, _bao.CountRequests("GET", "/v1/secret/metadata/shop/signing"));
    }

    [Fact]
    public async Task EveryObjectExpandsToNothing_NotFoundNamingWhatIsEmpty()
    {
        // The driver would refuse an answer without files as "missing object versions".
        _bao.PutKvV2("secret", "shop/gone", new Dictionary<string, object?> { ["key"] = "v1" });
        _bao.DeleteKvV2Versions("secret", "shop/gone", 1);
        var pod = Pod("- objectName: config\n  secretPath: secret/data/shop/nothing-here/*\n- objectName: old\n  secretPath: secret/data/shop/gone\n  secretKey: key\n  versionHistory: 2");

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _provider.Client.MountAsync(pod.ToRequest()));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal(
            "no files to write: object 'config': folder secret/data/shop/nothing-here holds no secrets; object 'old': secret/data/shop/gone has no live versions",
            error.Status.Detail);
    }

    [Fact]
    public async Task VersionHistory_WithDeleteVersionAfter_VersionsServedUntilTheirDeletion()
    {
        // Every version carries a deletion time ahead; OpenBao still serves them.
        _bao.SetKvV2DeleteVersionAfter("secret", "shop/expiring", TimeSpan.FromDays(30));
        foreach (var value in new[] { "v1", "v2" })
        {
            _bao.PutKvV2("secret", "shop/expiring", new Dictionary<string, object?> { ["key"] = value });
        }

        var files = await MountAsync(Pod("- objectName: signing\n  secretPath: secret/data/shop/expiring\n  secretKey: key\n  versionHistory: 3"));

        Assert.Equal(("v2", "v1"), (files["signing/0"].Text, files["signing/1"].Text));
    }

    [Fact]
    public async Task Certificates_ChainOrderedBundleAndPkcs12_SameBytesAndVersionAcrossPolls()
    {
        var pod = Pod("""
            - objectName: tls.crt
              secretPath: pki/issue/web
              method: POST
              secretArgs: {common_name: app.example.com}
              format: pem-chain
            - objectName: tls.pem
              secretPath: pki/issue/web
              method: POST
              secretArgs: {common_name: app.example.com}
              format: pem-bundle
            - objectName: keystore.p12
              secretPath: pki/issue/web
              method: POST
              secretArgs: {common_name: app.example.com}
              format: pkcs12
              pkcs12Password: changeit
            """);

        var first = await MountAsync(pod);
        var second = await MountAsync(pod);

        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(first["tls.crt"].Text);
        Assert.Equal(3, chain.Count);
        Assert.Equal(X509CertificateLoader.LoadCertificate(System.Text.Encoding.ASCII.GetBytes(_bao.GetPkiIntermediateCaPem())).Thumbprint, chain[1].Thumbprint);
        Assert.Equal(X509CertificateLoader.LoadCertificate(System.Text.Encoding.ASCII.GetBytes(_bao.GetPkiRootCaPem())).Thumbprint, chain[2].Thumbprint);
        Assert.StartsWith("-----BEGIN", first["tls.pem"].Text, StringComparison.Ordinal);
        Assert.Contains("PRIVATE KEY-----", first["tls.pem"].Text.Split('\n')[0], StringComparison.Ordinal);
        var keystore = X509CertificateLoader.LoadPkcs12Collection(first["keystore.p12"].Bytes, "changeit");
        Assert.Equal(chain[0].Thumbprint, Assert.Single(keystore, c => c.HasPrivateKey).Thumbprint);
        Assert.Equal(first["keystore.p12"].Version, second["keystore.p12"].Version);
        // The driver rewrites any file whose bytes differ: an unchanged keystore must not make applications reload.
        Assert.Equal(first["keystore.p12"].Bytes, second["keystore.p12"].Bytes);
    }

    [Theory]
    [InlineData("- objectName: f\n  secretPath: secret/data/shop/app\n  secretKey: k\n  format: json", "cannot be combined with secretKey")]
    [InlineData("- objectName: f\n  secretPath: kv/shop/app\n  versionHistory: 3", "versionHistory needs a KV v2 secret")]
    [InlineData("- objectName: f\n  secretPath: secret/data/shop/*\n  method: POST", "a folder (secretPath ending in /*)")]
    [InlineData("- objectName: f\n  secretPath: secret/data/shop/*\n  versionHistory: 2", "versionHistory needs a KV v2 secret")]
    [InlineData("- objectName: f\n  template: \"{% if %}\"", "template is not valid Liquid")]
    public async Task InvalidCombination_InvalidArgumentNamingObjectAndField(string objects, string problem)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _provider.Client.MountAsync(Pod(objects).ToRequest()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("object 'f': ", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(problem, error.Status.Detail, StringComparison.Ordinal);
    }
}
