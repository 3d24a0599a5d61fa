using OpenBao.Emulator;

namespace OpenBao.Csi.Provider.Demo;

/// <summary>KV v2 secrets at distinct paths under the demo's <c>secret/data/shop/*</c> policy, and the objects that list them.</summary>
internal static class BenchmarkSecrets
{
    public const int Count = 10;

    public static void Seed(OpenBaoEmulator bao)
    {
        for (var i = 0; i < Count; i++)
        {
            bao.PutKvV2("secret", $"shop/bench-{i}", new Dictionary<string, object?> { ["username"] = $"user-{i}", ["password"] = $"password-{i}" });
        }
    }

    /// <summary>The API paths of the first <paramref name="count"/> secrets.</summary>
    public static IReadOnlyList<string> Paths(int count) => [.. Enumerable.Range(0, count).Select(i => $"secret/data/shop/bench-{i}")];

    /// <summary>A SecretProviderClass <c>objects</c> list with one object per path.</summary>
    public static string Objects(IReadOnlyList<string> paths) =>
        string.Concat(paths.Select((path, i) => $"- objectName: bench-{i}\n  secretPath: {path}\n  secretKey: password\n"));
}
