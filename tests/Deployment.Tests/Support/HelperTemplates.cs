using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OpenBao.Csi.Provider.Deployment.Tests.Support;

/// <summary>
/// Renders the label helpers of _helpers.tpl for the default install (release openbao-csi-provider,
/// default values) without helm. Only the expressions those helpers use are known; any other
/// expression fails the test, so a helper that grows beyond this renderer is noticed, not misread.
/// </summary>
internal static partial class HelperTemplates
{
    public const string DefaultRelease = "openbao-csi-provider";

    public static JsonObject RenderLabels(string define)
    {
        var rendered = Render(define, depth: 0);
        return Assert.IsType<JsonObject>(Yaml.Parse(rendered));
    }

    private static string Render(string define, int depth)
    {
        Assert.True(depth < 5, $"helpers include each other too deeply at {define}");
        var helpers = File.ReadAllText(Path.Combine(Repo.ChartDir, "templates", "_helpers.tpl"));
        var body = Define().Matches(helpers).SingleOrDefault(m => m.Groups["name"].Value == define)?.Groups["body"].Value
            ?? throw new Xunit.Sdk.XunitException($"_helpers.tpl defines no \"{define}\"");

        return Expression().Replace(body.Trim(), m => Evaluate(m.Groups["expr"].Value.Trim(), depth));
    }

    private static string Evaluate(string expression, int depth)
    {
        var chart = Chart.Metadata;
        var values = Chart.Values;
        if (IncludeExpression().Match(expression) is { Success: true } include)
        {
            var name = include.Groups["name"].Value;
            if (name == "openbao-csi-provider.name")
            {
                var nameOverride = values.Str("nameOverride");
                return nameOverride.Length > 0 ? nameOverride : chart.Str("name");
            }

            return Render(name, depth + 1);
        }

        return expression switch
        {
            ".Release.Name" => DefaultRelease,
            ".Chart.AppVersion | quote" => $"\"{chart.Str("appVersion")}\"",
            _ => throw new Xunit.Sdk.XunitException($"the label helpers use '{{{{ {expression} }}}}', which this test cannot render"),
        };
    }

    [GeneratedRegex(@"\{\{-? define ""(?<name>[^""]+)"" -?\}\}(?<body>.*?)\{\{-? end -?\}\}", RegexOptions.Singleline)]
    private static partial Regex Define();

    [GeneratedRegex(@"\{\{-?(?<expr>.*?)-?\}\}")]
    private static partial Regex Expression();

    [GeneratedRegex(@"^include ""(?<name>[^""]+)"" \.$")]
    private static partial Regex IncludeExpression();
}
