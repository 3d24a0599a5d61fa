using System.Text;
using System.Text.Json;
using OpenBao.Csi.Provider.Mounting;
using OpenBao.Csi.Provider.Rendering;
using OpenBao.Csi.Provider.Versioning;

namespace OpenBao.Csi.Provider.Tests.Rendering;

public sealed class TemplateTests
{
    private static readonly JsonElement Db = JsonDocument.Parse("""{"data":{"data":{"user":"shop","password":"p@ss'word"},"metadata":{"version":4}}}""").RootElement;
    private static readonly JsonElement Host = JsonDocument.Parse("""{"data":{"data":{"host":"db.internal","port":5432}}}""").RootElement;

    private static List<SecretObject> Parse(string yaml)
    {
        var problems = new List<string>();
        var objects = ObjectsParser.Parse(yaml, problems, []);
        Assert.Empty(problems);
        return [.. objects];
    }

    private static IReadOnlyList<RenderedFile> RenderAll(IReadOnlyList<SecretObject> objects, params JsonElement[] responses) =>
        SecretRenderer.RenderAll(objects, objects.Where(o => o.Reads).Zip(responses).ToDictionary(p => p.First, p => p.Second), 420);

    [Fact]
    public void Template_CombinesItsDataAndTwoOtherObjects_FeedersWithRenderFalseMakeNoFile()
    {
        var objects = Parse("""
            - objectName: user
              secretPath: secret/data/db
              secretKey: user
              render: false
            - objectName: password
              secretPath: secret/data/db
              secretKey: password
              render: false
            - objectName: database.url
              secretPath: secret/data/host
              template: "postgres://{{ objects.user }}:{{ objects.password | url_encode }}@{{ data.host }}:{{ data.port }}/shop"
            """);

        var files = RenderAll(objects, Db, Db, Host);

        var file = Assert.Single(files);
        Assert.Equal("database.url", file.Path);
        Assert.Equal("postgres://shop:p%40ss%27word@db.internal:5432/shop", Encoding.UTF8.GetString(file.Contents));
    }

    [Fact]
    public void JsonFilter_WritesTheDataWithoutReflection_EscapedLikeTheJsonFormat_IndentedOnRequest()
    {
        var nested = JsonDocument.Parse("""{"data":{"data":{"pool":{"hosts":["a","b"],"size":5,"tls":true,"ca":null}}}}""").RootElement;
        var objects = Parse("""
            - objectName: db.json
              secretPath: secret/data/db
              template: "{{ data | json }}"
            - objectName: pool.json
              secretPath: secret/data/pool
              template: "{{ data.pool | json: true }}|{{ data.pool.hosts | json }}|{{ data.pool.ca | json }}"
            """);

        var files = RenderAll(objects, Db, nested);

        Assert.Equal("""{"user":"shop","password":"p@ss'word"}""", Encoding.UTF8.GetString(files[0].Contents));
        Assert.Equal("""
            {
              "hosts": [
                "a",
                "b"
              ],
              "size": 5,
              "tls": true,
              "ca": null
            }|["a","b"]|null
            """.ReplaceLineEndings("\n"), Encoding.UTF8.GetString(files[1].Contents));
    }

    [Fact]
    public void Template_WithoutSecretPath_ReadsNothingAndUsesOtherObjects()
    {
        var objects = Parse("""
            - objectName: user
              secretPath: secret/data/db
              secretKey: user
            - objectName: greeting
              template: "{% if data == nil %}hello {{ objects.user | upcase }}{% endif %}"
            """);

        var files = RenderAll(objects, Db);

        Assert.False(objects[1].Reads);
        Assert.Equal(["shop", "hello SHOP"], files.Select(f => Encoding.UTF8.GetString(f.Contents)));
    }

    [Fact]
    public void Template_VersionFollowsInputsNotOnlyOutput()
    {
        var objects = Parse("""
            - objectName: user
              secretPath: secret/data/db
              secretKey: user
            - objectName: constant
              template: "same text"
            """);
        var changed = JsonDocument.Parse("""{"data":{"data":{"user":"other","password":"x"}}}""").RootElement;
        var key = new byte[32];

        var before = RenderAll(objects, Db)[1];
        var after = RenderAll(objects, changed)[1];

        Assert.Equal(before.Contents, after.Contents);
        Assert.NotEqual(ObjectVersioner.Compute(key, before), ObjectVersioner.Compute(key, after));
    }

    [Theory]
    [InlineData("  template: \"{% if %}\"", "template is not valid Liquid")]
    [InlineData("  template: \"line one\\n{{ data.x \"", "template is not valid Liquid")]
    [InlineData("  secretPath: p\n  secretKey: k\n  template: x", "cannot be combined with secretKey, format or encoding")]
    [InlineData("  secretPath: p\n  format: json\n  template: x", "cannot be combined with secretKey, format or encoding")]
    [InlineData("  secretPath: p\n  render: maybe", "render must be true or false")]
    [InlineData("  template: \"{% for i in (1..100000000) %}{% endfor %}\"", "needs number bounds at most 10000 apart")]
    [InlineData("  template: \"{% for i in (1..data.n) %}{% endfor %}\"", "needs number bounds at most 10000 apart")]
    public void Template_InvalidDefinitions_ProblemNamingTheObject(string fields, string problem)
    {
        var problems = new List<string>();

        ObjectsParser.Parse("- objectName: t\n" + fields, problems, []);

        Assert.Contains(problems, p => p.StartsWith("object 't': ", StringComparison.Ordinal) && p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Template_SyntaxError_NamesTheLine()
    {
        var problems = new List<string>();

        ObjectsParser.Parse("- objectName: t\n  template: |\n    first line\n    second {% for x in %}\n", problems, []);

        Assert.Contains(problems, p => p.Contains("(2:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{% for i in (1..9000) %}{% for j in (1..9000) %}xxxxxxxx{% endfor %}{% endfor %}", "the template failed")]
    [InlineData("{% for i in (1..9000) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}", "wrote more than 4194304 characters")]
    [InlineData("{% assign s = 'xxxxxxxx' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}", "wrote more than 4194304 characters")]
    public void Template_RunawayLoop_StoppedAsInvalidArgument(string template, string message)
    {
        var objects = Parse($"- objectName: t\n  template: \"{template}\"");

        var error = Assert.Throws<RenderException>(() => RenderAll(objects));

        Assert.False(error.KeyMissing);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ 'now' | date: '%Y-%m-%d %H:%M:%S' }}", "'now' | date")]
    [InlineData("generated {{ \\\"today\\\" |date: '%Y' }}", "\"today\" |date")]
    public void Template_TheTime_RefusedAsAFileThatWouldChangeOnEveryPoll(string template, string named)
    {
        var problems = new List<string>();

        ObjectsParser.Parse($"- objectName: t\n  template: \"{template}\"", problems, []);

        Assert.Contains(problems, p => p.Contains($"{named} would change the file on every rotation poll", StringComparison.Ordinal));
    }

    [Fact]
    public void Template_ADateFromTheSecret_StillFormatted()
    {
        var objects = Parse("- objectName: t\n  secretPath: secret/data/db\n  template: \"{{ data.issued | date: '%Y' }}\"");

        var file = Assert.Single(RenderAll(objects, JsonDocument.Parse("""{"data":{"issued":"2026-05-01T10:00:00Z"}}""").RootElement));

        Assert.Equal("2026", Encoding.UTF8.GetString(file.Contents));
    }
}
