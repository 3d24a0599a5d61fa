using System.Text.Json.Nodes;

namespace OpenBao.Csi.Provider.Deployment.Tests.Support;

/// <summary>The plain install in deploy/openbao-csi-provider.yaml, by the parts tests look at.</summary>
internal sealed class ProviderManifest
{
    public const string ContainerName = "openbao-csi-provider";

    private ProviderManifest(IReadOnlyList<JsonObject> documents) => Documents = documents;

    public IReadOnlyList<JsonObject> Documents { get; }

    public JsonObject DaemonSet => Single("DaemonSet");

    public JsonObject PodSpec => DaemonSet.At("spec", "template", "spec").AsObject();

    public JsonObject Container => PodSpec.Objects("containers").Single(c => c.Str("name") == ContainerName);

    public IReadOnlyList<string> Args => [.. Container.Find("args").Strings()];

    public static ProviderManifest Load() => new(Yaml.LoadDocuments(Repo.ManifestPath));

    public JsonObject Single(string kind) => Documents.Single(d => d.Kind() == kind);

    /// <summary>A Go-style flag's value (-name=value or --name=value), null when absent.</summary>
    public string? Arg(string name) =>
        Args.Select(a => a.TrimStart('-'))
            .Where(a => a.StartsWith(name + "=", StringComparison.Ordinal))
            .Select(a => a[(name.Length + 1)..])
            .SingleOrDefault();

    public JsonObject Volume(string name) => PodSpec.Objects("volumes").Single(v => v.Str("name") == name);

    public JsonObject MountAt(string mountPath) =>
        Container.Objects("volumeMounts").Single(m => m.Str("mountPath") == mountPath);

    /// <summary>A probe's port as a number, following a named port to the container's ports.</summary>
    public long ProbePort(string probe)
    {
        var port = Container.At(probe, "httpGet", "port");
        if (port.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            return port.GetValue<long>();
        }

        var name = port.GetValue<string>();
        return Container.Objects("ports").Single(p => p.Str("name") == name).At("containerPort").GetValue<long>();
    }
}
