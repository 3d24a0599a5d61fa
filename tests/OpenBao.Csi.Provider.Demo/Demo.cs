using System.Security.Cryptography;
using System.Text;
using OpenBao.Csi.Provider.V1Alpha1;

namespace OpenBao.Csi.Provider.Demo;

/// <summary>One pod's mount and one rotation poll, printed: what the driver would write and why it rewrites files.</summary>
internal static class Demo
{
    private const string SecretProviderClassObjects = """
        - objectName: db-username
          secretPath: secret/data/shop/db
          secretKey: username
        - objectName: db-password
          secretPath: secret/data/shop/db
          secretKey: password
          filePermission: 0600
        - objectName: tls.crt
          secretPath: pki/issue/web
          method: PUT
          secretArgs: {common_name: shop.example.com, ttl: 24h}
          secretKey: certificate
        - objectName: tls.key
          secretPath: pki/issue/web
          method: PUT
          secretArgs: {common_name: shop.example.com, ttl: 24h}
          secretKey: private_key
          filePermission: 0400
        - objectName: db.env
          secretPath: secret/data/shop/db
          format: env
        - objectName: database.url
          template: "postgres://{{ objects['db-username'] }}:{{ objects['db-password'] | url_encode }}@db.shop.svc:5432/shop"
        """;

    public static async Task<int> RunAsync(TextWriter output)
    {
        await using var environment = await DemoEnvironment.StartAsync();
        output.WriteLine($"OpenBao emulator listening on {environment.Bao.Address}");
        var version = await environment.Client.VersionAsync(new VersionRequest { Version = "v1alpha1" });
        output.WriteLine($"Provider {version.RuntimeName} {version.RuntimeVersion} serving {version.Version} on {environment.Socket}");
        output.WriteLine($"\nSecretProviderClass objects:\n{SecretProviderClassObjects}");

        var mount = environment.PodMount(SecretProviderClassObjects);
        var first = await environment.Client.MountAsync(mount.ToRequest());
        Print(output, "Mount (pod start)", first);

        environment.Bao.PutKvV2("secret", "shop/db", new Dictionary<string, object?> { ["username"] = "shop", ["password"] = "rotated-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)) });
        var second = await environment.Client.MountAsync(mount.ToRequest(first.ObjectVersion));
        Print(output, "Mount (rotation poll after the password changed)", second);

        var changed = second.ObjectVersion.Where(v => first.ObjectVersion.Single(b => b.Id == v.Id).Version != v.Version).Select(v => v.Id);
        output.WriteLine($"\nChanged versions (the driver rewrites these files): {string.Join(", ", changed)}");
        output.WriteLine($"OpenBao saw {environment.Bao.CountRequests("POST", "/v1/auth/kubernetes/login")} login(s) for 2 mounts of one pod.");
        return 0;
    }

    private static void Print(TextWriter output, string title, MountResponse response)
    {
        output.WriteLine($"\n== {title}: {response.Files.Count} files");
        foreach (var file in response.Files)
        {
            var text = Encoding.UTF8.GetString(file.Contents.Span);
            var preview = text.Contains('\n', StringComparison.Ordinal) ? $"{text.Split('\n')[0]} … ({file.Contents.Length} bytes)" : text;
            output.WriteLine($"  {file.Path,-12} mode {Convert.ToString(file.Mode, 8).PadLeft(4, '0')}  {preview}");
        }

        output.WriteLine("  versions:");
        foreach (var version in response.ObjectVersion)
        {
            output.WriteLine($"  {version.Id,-12} {version.Version}");
        }
    }
}
