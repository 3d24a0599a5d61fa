namespace OpenBao.Csi.Provider.Rendering;

/// <summary>Every <c>format:</c> the provider writes, by name.</summary>
internal static class FileFormats
{
    private static readonly IFileFormat[] All =
        [new JsonFormat(), new YamlFormat(), new EnvFormat(), new PemChainFormat(), new PemBundleFormat(), new Pkcs12Format()];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(f => f.Name)];

    public static IFileFormat? Find(string name) => All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
}
