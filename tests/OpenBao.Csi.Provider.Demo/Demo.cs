using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Csi.Driver.Emulator;
using OpenBao.Csi.Provider.V1Alpha1;
using OpenBao.Emulator;

namespace OpenBao.Csi.Provider.Demo;

/// <summary>
/// The provider's main job on a built-in default: an OpenBao emulator seeded with example secrets,
/// the real provider binary on a local socket, and Mount calls made the way the CSI driver makes them.
/// </summary>
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
        """;

    public static async Task<int> RunAsync(TextWriter output)
    {
        var workspace = Directory.CreateTempSubdirectory("openbao-csi-demo-");
        await using var bao = await OpenBaoEmulator.StartAsync();
        Seed(bao);
        output.WriteLine($"OpenBao emulator listening on {bao.Address}");

        var keyFile = Path.Combine(workspace.FullName, "version-key");
        await File.WriteAllBytesAsync(keyFile, RandomNumberGenerator.GetBytes(32));
        var socket = Path.Combine(workspace.FullName, "openbao.sock");
        using var provider = StartProvider(socket, bao.Address, keyFile);
        try
        {
            await WaitForSocketAsync(socket, provider);
            using var channel = DriverChannel.Create(socket);
            var client = new CSIDriverProvider.CSIDriverProviderClient(channel);
            var version = await client.VersionAsync(new VersionRequest { Version = "v1alpha1" });
            output.WriteLine($"Provider {version.RuntimeName} {version.RuntimeVersion} serving {version.Version} on {socket}");

            var mount = new DriverMount { Namespace = "shop", ServiceAccount = "app", PodName = "shop-7d9f8" }
                .WithParameter("roleName", "app")
                .WithParameter("objects", SecretProviderClassObjects);
            mount.Tokens["openbao"] = bao.Issuer.Mint("shop", "app", ["openbao"], TimeSpan.FromMinutes(10), mount.PodName, mount.PodUid);
            output.WriteLine($"\nSecretProviderClass objects:\n{SecretProviderClassObjects}");

            var first = await client.MountAsync(mount.ToRequest());
            Print(output, "Mount (pod start)", first);

            bao.PutKvV2("secret", "shop/db", new Dictionary<string, object?> { ["username"] = "shop", ["password"] = "rotated-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)) });
            var second = await client.MountAsync(mount.ToRequest(first.ObjectVersion));
            Print(output, "Mount (rotation poll after the password changed)", second);
            PrintChanges(output, first, second);
            output.WriteLine($"\nOpenBao saw {bao.CountRequests("POST", "/v1/auth/kubernetes/login")} login(s) for 2 mounts of one pod.");
            return 0;
        }
        finally
        {
            Stop(provider);
            workspace.Delete(recursive: true);
        }
    }

    private static void Seed(OpenBaoEmulator bao)
    {
        bao.EnableKvV2("secret");
        bao.PutKvV2("secret", "shop/db", new Dictionary<string, object?> { ["username"] = "shop", ["password"] = "initial-password" });
        bao.EnablePki();
        bao.AddPkiRole("web", ["example.com"], allowSubdomains: true);
        bao.AddPolicy("shop-read", new PolicyRule("secret/data/shop/*", "read"), new PolicyRule("pki/issue/web", "create", "update"));
        bao.EnableKubernetesAuth();
        bao.AddKubernetesRole("kubernetes", "app", new KubernetesRole(["app"], ["shop"], ["shop-read"], TimeSpan.FromMinutes(20)));
    }

    private static Process StartProvider(string socket, Uri openBao, string keyFile)
    {
        var directory = AppContext.BaseDirectory;
        var apphost = Path.Combine(directory, "openbao-csi-provider");
        var start = File.Exists(apphost)
            ? new ProcessStartInfo(apphost)
            : new ProcessStartInfo("dotnet", [Path.Combine(directory, "openbao-csi-provider.dll")]);
        foreach (var argument in new[] { $"-endpoint={socket}", $"-openbao-addr={openBao}", $"-hmac-key-file={keyFile}", "-health-addr=", "-log-level=warn" })
        {
            start.ArgumentList.Add(argument);
        }

        // Keep the demo hermetic: the machine's kubeconfig, if any, is not the demo's cluster.
        start.Environment["KUBECONFIG"] = "/nonexistent";
        return Process.Start(start) ?? throw new InvalidOperationException("could not start openbao-csi-provider");
    }

    private static async Task WaitForSocketAsync(string socket, Process provider)
    {
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(socket))
        {
            if (provider.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"the provider did not create {socket} (exited: {provider.HasExited})");
            }

            await Task.Delay(50);
        }
    }

    private static void Stop(Process provider)
    {
        if (provider.HasExited)
        {
            return;
        }

        // SIGTERM, as the kubelet sends: the provider drains and removes its socket.
        using var kill = Process.Start("kill", ["-TERM", provider.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (!provider.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            provider.Kill();
        }
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

    private static void PrintChanges(TextWriter output, MountResponse before, MountResponse after)
    {
        var changed = after.ObjectVersion.Where(v => before.ObjectVersion.Single(b => b.Id == v.Id).Version != v.Version).Select(v => v.Id).ToList();
        output.WriteLine($"\nChanged versions (the driver rewrites these files): {string.Join(", ", changed)}");
    }
}
