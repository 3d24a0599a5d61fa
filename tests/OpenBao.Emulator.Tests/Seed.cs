namespace OpenBao.Emulator.Tests;

/// <summary>Common set-ups: a kubernetes role "app" for service account shop/app with the given policies.</summary>
internal static class Seed
{
    public static readonly string[] OpenBaoAudience = ["openbao"];

    public static async Task<OpenBaoEmulator> StartAsync(EmulatorOptions? options = null, params string[] policies)
    {
        var emulator = await OpenBaoEmulator.StartAsync(options);
        emulator.EnableKubernetesAuth();
        emulator.AddKubernetesRole("kubernetes", "app", new KubernetesRole(["app"], ["shop"], policies, TimeSpan.FromHours(1), Audience: "openbao"));
        return emulator;
    }

    public static string AppJwt(OpenBaoEmulator emulator) =>
        emulator.Issuer.Mint("shop", "app", OpenBaoAudience, TimeSpan.FromMinutes(10), "app-7d9f8");

    /// <summary>A client logged in as shop/app.</summary>
    public static async Task<ApiClient> LoginAsync(OpenBaoEmulator emulator)
    {
        var client = new ApiClient(emulator);
        await client.LoginAsync("app", AppJwt(emulator));
        return client;
    }
}
