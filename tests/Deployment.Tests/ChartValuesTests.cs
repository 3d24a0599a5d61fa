using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenBao.Csi.Provider.Deployment.Tests.Support;

namespace OpenBao.Csi.Provider.Deployment.Tests;

/// <summary>values.schema.json turns mistakes in values into install failures, not silent drops.</summary>
public sealed class ChartValuesTests
{
    [Fact]
    public async Task DefaultValues_MatchTheSchema()
    {
        Assert.Empty(await Chart.ValidateAsync());
    }

    [Theory]
    [InlineData("imag:\n  tag: x\n", "imag")]
    [InlineData("image:\n  tagg: x\n", "tagg")]
    [InlineData("openbao:\n  adress: https://bao:8200\n", "adress")]
    [InlineData("openbao:\n  tls:\n    cacert: ca.crt\n", "cacert")]
    [InlineData("daemonSet:\n  updateStratgy:\n    type: OnDelete\n", "updateStratgy")]
    [InlineData("daemonSet:\n  securityContext:\n    container:\n      readOnlyRootFileSystem: true\n", "readOnlyRootFileSystem")]
    [InlineData("pod:\n  tolerationss: []\n", "tolerationss")]
    [InlineData("readinessProbe:\n  failureThresold: 3\n", "failureThresold")]
    [InlineData("serviceAccount:\n  annotation: {}\n", "annotation")]
    [InlineData("resources:\n  request:\n    cpu: 10m\n", "request")]
    [InlineData("hmacSecret: x\n", "hmacSecret")]
    public async Task Override_WithMisspeltKey_FailsNamingIt(string overrides, string typo)
    {
        var errors = await Chart.ValidateAsync(overrides);

        Assert.Contains(errors, e => e.Contains(typo, StringComparison.Ordinal) && e.Contains("NoAdditionalPropertiesAllowed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("logLevel: verbose\n")]
    [InlineData("healthPort: \"8080\"\n")]
    [InlineData("healthPort: 70000\n")]
    [InlineData("cacheSize: -1\n")]
    [InlineData("cacheSize: \"0\"\n")]
    [InlineData("debug: \"yes\"\n")]
    [InlineData("image:\n  pullPolicy: Sometimes\n")]
    [InlineData("image:\n  digest: latest\n")]
    [InlineData("daemonSet:\n  endpoint: /tmp/openbao.sock\n")]
    [InlineData("daemonSet:\n  providersDir: etc/kubernetes/secrets-store-csi-providers\n")]
    [InlineData("daemonSet:\n  updateStrategy:\n    maxUnavailable: some\n")]
    [InlineData("livenessProbe:\n  successThreshold: 2\n")]
    [InlineData("openbao:\n  address: openbao:8200\n")]
    [InlineData("pod:\n  nodeSelector:\n    kubernetes.io/os: [linux]\n")]
    [InlineData("pod:\n  tolerations:\n    - operator: Exist\n")]
    [InlineData("extraArgs: -debug\n")]
    [InlineData("hostNetwork: \"true\"\n")]
    public async Task Override_WithBadValue_Fails(string overrides)
    {
        Assert.NotEmpty(await Chart.ValidateAsync(overrides));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100000)]
    public async Task CacheSize_ZeroOrMore_IsValid(int size)
    {
        // 0 is the provider's (and the Go provider's) "keep no tokens": -cache-size=0.
        Assert.Empty(await Chart.ValidateAsync($"cacheSize: {size}\n"));
    }

    [Fact]
    public async Task OpenBaoChartCsiBlock_ValidatesUnchanged()
    {
        // The shape of a `csi:` block users of the OpenBao chart carry over: its registry and
        // agent keys, and the string-or-YAML forms its templates accept.
        const string csiBlock = """
            enabled: true
            image:
              registry: quay.io
              repository: example/openbao-csi-provider
              tag: "0.1.0"
              pullPolicy: IfNotPresent
            volumes:
              - name: tls
                secret:
                  secretName: openbao-tls
            volumeMounts:
              - name: tls
                mountPath: /openbao/tls
                readOnly: true
            resources:
              requests: {cpu: 50m, memory: 128Mi}
              limits: {cpu: 50m, memory: 128Mi}
            hmacSecretName: ""
            daemonSet:
              updateStrategy:
                type: RollingUpdate
                maxUnavailable: ""
              annotations: |
                example.com/owner: platform
              providersDir: /etc/kubernetes/secrets-store-csi-providers
              kubeletRootDir: /var/lib/kubelet
              endpoint: /provider/openbao.sock
              extraLabels: {}
              securityContext:
                pod: {}
                container: {}
            pod:
              annotations: {}
              tolerations: |
                - operator: Exists
              nodeSelector: {}
              affinity: {}
              extraLabels: {}
            agent:
              enabled: true
              extraArgs: []
              image: {registry: quay.io, repository: openbao/openbao, tag: "", pullPolicy: IfNotPresent}
              logFormat: standard
              logLevel: info
              resources: {}
            priorityClassName: ""
            serviceAccount:
              annotations: {}
              extraLabels: {}
            readinessProbe: {failureThreshold: 2, initialDelaySeconds: 5, periodSeconds: 5, successThreshold: 1, timeoutSeconds: 3}
            livenessProbe: {failureThreshold: 2, initialDelaySeconds: 5, periodSeconds: 5, successThreshold: 1, timeoutSeconds: 3}
            debug: false
            extraArgs:
              - -openbao-addr=https://openbao.openbao.svc:8200
            """;

        Assert.Empty(await Chart.ValidateAsync(csiBlock));
    }

    [Fact]
    public async Task VaultChartCsiBlock_ValidatesWithThisProvidersImageAndSocket()
    {
        // The Vault chart's csi defaults, with the image and the socket it hard-codes
        // (/provider/vault.sock) spelled out: what a user of that chart carries over.
        const string csiBlock = """
            enabled: true
            image:
              repository: example/openbao-csi-provider
              tag: "0.1.0"
              pullPolicy: IfNotPresent
            volumes: null
            volumeMounts: null
            resources: {}
            hmacSecretName: ""
            hostNetwork: false
            daemonSet:
              updateStrategy:
                type: RollingUpdate
                maxUnavailable: ""
              annotations: {}
              providersDir: /var/run/secrets-store-csi-providers
              kubeletRootDir: /var/lib/kubelet
              endpoint: /provider/vault.sock
              extraLabels: {}
              securityContext:
                pod: {}
                container: {}
            pod:
              annotations: {}
              tolerations: []
              nodeSelector: {}
              affinity: {}
              extraLabels: {}
            agent:
              enabled: true
              extraArgs: []
              image: {repository: hashicorp/vault, tag: "1.20.0", pullPolicy: IfNotPresent}
              logFormat: standard
              logLevel: info
              resources: {}
              securityContext:
                container: {allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 100, runAsGroup: 1000}
            priorityClassName: ""
            serviceAccount:
              annotations: {}
              extraLabels: {}
            readinessProbe: {failureThreshold: 2, initialDelaySeconds: 5, periodSeconds: 5, successThreshold: 1, timeoutSeconds: 3}
            livenessProbe: {failureThreshold: 2, initialDelaySeconds: 5, periodSeconds: 5, successThreshold: 1, timeoutSeconds: 3}
            logLevel: info
            debug: false
            extraArgs: []
            """;

        Assert.Empty(await Chart.ValidateAsync(csiBlock));
    }

    [ToolFact("helm")]
    public async Task Render_PrivilegedContainer_DropsAllowPrivilegeEscalation_WhichTheApiServerRefusesBesideIt()
    {
        var documents = await Helm.TemplateAsync("daemonSet:\n  securityContext:\n    container:\n      privileged: true\n");

        var context = documents.Single(d => d.Kind() == "DaemonSet").Objects("spec", "template", "spec", "containers").Single().At("securityContext").AsObject();
        Assert.True(context["privileged"]!.GetValue<bool>());
        Assert.False(context.ContainsKey("allowPrivilegeEscalation"));
        Assert.True(context["readOnlyRootFilesystem"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Override_NullDroppingADefault_StaysValid()
    {
        const string nonRoot = """
            daemonSet:
              securityContext:
                container:
                  runAsUser: 1654
                  runAsGroup: 1654
                  runAsNonRoot: true
                  seccompProfile: null
            """;

        Assert.Empty(await Chart.ValidateAsync(nonRoot));
    }

    [Fact]
    public async Task ChartReadme_EveryValuesSnippet_Validates()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.ChartDir, "README.md"));
        var snippets = Regex.Matches(readme, "```yaml\r?\n(?<body>.*?)```", RegexOptions.Singleline)
            .Select(m => m.Groups["body"].Value)
            .ToList();

        Assert.NotEmpty(snippets);
        foreach (var snippet in snippets)
        {
            Assert.Empty(await Chart.ValidateAsync(snippet));
        }
    }

    [Fact]
    public void Schema_EveryOwnKey_HasADocumentedDefaultInValuesYaml()
    {
        var missing = new List<string>();
        Walk(Chart.SchemaJson, Chart.Values, "");

        Assert.Empty(missing);

        void Walk(JsonObject schema, JsonObject? values, string path)
        {
            if (schema["properties"] is not JsonObject properties)
            {
                return;
            }

            foreach (var (key, property) in properties)
            {
                var at = path + "." + key;
                // Helm's globals, the ignored OpenBao Agent keys, and Kubernetes fields.
                if (at is ".global" or ".agent" or ".resources.claims")
                {
                    continue;
                }

                if (values is null || !values.ContainsKey(key))
                {
                    missing.Add(at);
                }
                else if (property is JsonObject inline && inline["$ref"] is null)
                {
                    Walk(inline, values[key] as JsonObject, at);
                }
            }
        }
    }
}
