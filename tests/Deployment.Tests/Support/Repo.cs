namespace OpenBao.Csi.Provider.Deployment.Tests.Support;

/// <summary>Paths in the repository, found from the test binary's folder.</summary>
internal static class Repo
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string ChartDir => Path("charts", "openbao-csi-provider");

    public static string ManifestPath => Path("deploy", "openbao-csi-provider.yaml");

    public static IEnumerable<string> Files(string folder, string pattern) =>
        Directory.EnumerateFiles(Path(folder), pattern, SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    /// <summary>The relative form used as a theory argument, so test names stay short and stable.</summary>
    public static string Relative(string path) => System.IO.Path.GetRelativePath(Root, path).Replace('\\', '/');

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CsiProvider.sln"))
                || File.Exists(System.IO.Path.Combine(dir.FullName, "Directory.Build.props")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No CsiProvider.sln or Directory.Build.props above {AppContext.BaseDirectory}");
    }
}
