using System.Text.Json;

namespace OpenBao.Csi.Provider.Tests.Mounting;

/// <summary>Builds MountRequest attributes the way the driver does: SecretProviderClass parameters plus pod identity.</summary>
internal static class Attributes
{
    public const string TwoObjects = """
        - objectName: secret-1
          secretPath: secret/data/kv1
          secretKey: password
          filePermission: 0600
        - objectName: secret-2
          secretPath: /v1/secret/data/kv2?version=2
          secretKey: username
        """;

    public static string Json(IReadOnlyDictionary<string, string> parameters, bool withPod = true)
    {
        var all = new Dictionary<string, string>(parameters);
        if (withPod)
        {
            all.TryAdd("csi.storage.k8s.io/pod.name", "app-7d9f8");
            all.TryAdd("csi.storage.k8s.io/pod.namespace", "shop");
            all.TryAdd("csi.storage.k8s.io/pod.uid", "5c0e6b1a-0000-4000-8000-000000000001");
            all.TryAdd("csi.storage.k8s.io/serviceAccount.name", "app");
            all.TryAdd("secretProviderClass", "app-secrets");
            all.TryAdd("providerName", "openbao");
        }

        return JsonSerializer.Serialize(all);
    }

    public static string Valid(params (string Key, string Value)[] extra)
    {
        var parameters = new Dictionary<string, string> { ["roleName"] = "app", ["objects"] = TwoObjects };
        foreach (var (key, value) in extra)
        {
            parameters[key] = value;
        }

        return Json(parameters);
    }
}
