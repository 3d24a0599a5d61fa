using System.Text.Json.Nodes;

namespace OpenBao.Csi.Provider.Deployment.Tests.Support;

/// <summary>
/// The chart rendered by helm, client-side: `helm template` for the objects, `helm install
/// --dry-run=client` for the release notes. With monitoringApi, `helm template --api-versions
/// monitoring.coreos.com/v1` renders as for a cluster with the Prometheus operator's CRDs.
/// </summary>
internal static class Helm
{
    public const string Release = "openbao-csi-provider";
    public const string Namespace = "csi";

    public static async Task<IReadOnlyList<JsonObject>> TemplateAsync(string values = "", bool monitoringApi = false)
    {
        var result = await RunAsync("template", values, monitoringApi);
        Assert.True(result.ExitCode == 0, result.Error);
        return Yaml.ParseDocuments(result.Output);
    }

    /// <summary>The error helm stops with; fails the test if rendering succeeds.</summary>
    public static async Task<string> TemplateErrorAsync(string values, bool monitoringApi = false)
    {
        var result = await RunAsync("template", values, monitoringApi);
        Assert.True(result.ExitCode != 0, "helm template succeeded");
        return result.Error;
    }

    /// <summary>The release notes; `helm install` has no --api-versions, so for a cluster without the operator.</summary>
    public static async Task<string> NotesAsync(string values = "")
    {
        var result = await RunAsync("install", values, monitoringApi: false, "--dry-run=client");
        Assert.True(result.ExitCode == 0, result.Error);
        var notes = result.Output.IndexOf("NOTES:", StringComparison.Ordinal);
        Assert.True(notes >= 0, "no NOTES in helm install --dry-run output");
        return result.Output[notes..];
    }

    private static async Task<Tools.Result> RunAsync(string command, string values, bool monitoringApi, params string[] extra)
    {
        var valuesFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(valuesFile, values);
            List<string> arguments = [command, Release, Repo.ChartDir, "--namespace", Namespace, "--values", valuesFile, .. extra];
            if (monitoringApi)
            {
                arguments.AddRange(["--api-versions", "monitoring.coreos.com/v1"]);
            }

            return await Tools.RunAsync("helm", arguments);
        }
        finally
        {
            File.Delete(valuesFile);
        }
    }
}
