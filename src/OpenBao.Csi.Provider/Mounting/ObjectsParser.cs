using System.Globalization;
using System.Text;
using OpenBao.Csi.Provider.Internal;
using OpenBao.Csi.Provider.Rendering;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace OpenBao.Csi.Provider.Mounting;

/// <summary>
/// Reads the <c>objects</c> parameter (a YAML list) through YamlDotNet's representation model,
/// which needs no reflection and so keeps the provider trimmable.
/// </summary>
internal static class ObjectsParser
{
    private static readonly string[] KnownFields =
        ["objectName", "secretPath", "secretKey", "method", "secretArgs", "encoding", "filePermission", "leasePolicy", "format", "keys", "pkcs12Password", "template", "render", "versionHistory"];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "LIST"];

    /// <summary>Far above any real SecretProviderClass (a thousand objects fit in a tenth of it).</summary>
    public const int MaxYamlBytes = 256 * 1024;

    private const int MaxPathBytes = 4096;
    private const int MaxFileNameBytes = 255;

    /// <summary>Objects are a list of mappings with shallow <c>secretArgs</c>; this leaves room for any real use.</summary>
    public const int MaxYamlDepth = 32;

    /// <summary>Distinct SecretProviderClasses a node serves are few; these bounds keep the cache under a megabyte.</summary>
    private static readonly RecentlyParsed<Parsed> Recent = new(capacity: 64, maxTextLength: 8 * 1024);

    /// <param name="warnings">Receives what the Go provider silently ignores (unknown fields): worth a log line, not a failed mount.</param>
    public static IReadOnlyList<SecretObject> Parse(string? yaml, List<string> problems, List<string> warnings)
    {
        if (yaml is null)
        {
            return ParseUncached(yaml, problems, warnings);
        }

        var parsed = Recent.GetOrParse(yaml, static text =>
        {
            List<string> foundProblems = [];
            List<string> foundWarnings = [];
            return new Parsed(ParseUncached(text, foundProblems, foundWarnings), [.. foundProblems], [.. foundWarnings]);
        });
        problems.AddRange(parsed.Problems);
        warnings.AddRange(parsed.Warnings);
        return parsed.Objects;
    }

    private static IReadOnlyList<SecretObject> ParseUncached(string? yaml, List<string> problems, List<string> warnings)
    {
        if (yaml is null)
        {
            problems.Add("missing 'objects' parameter: list at least one object to mount");
            return [];
        }

        YamlSequenceNode? sequence;
        try
        {
            if (Screen(yaml) is { } refused)
            {
                problems.Add(refused);
                return [];
            }

            var stream = YamlErrors.Load(new StringReader(yaml));
            sequence = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode as YamlSequenceNode;
        }
        catch (YamlException ex)
        {
            problems.Add($"'objects' is not valid YAML {YamlErrors.Describe(ex)}");
            return [];
        }

        if (sequence is null)
        {
            problems.Add("'objects' must be a YAML list of objects (each with objectName and secretPath)");
            return [];
        }

        if (sequence.Children.Count == 0)
        {
            problems.Add("'objects' is empty: list at least one object to mount");
            return [];
        }

        var objects = new List<SecretObject>();
        for (var index = 0; index < sequence.Children.Count; index++)
        {
            if (ParseObject(sequence.Children[index], index, problems, warnings) is { } parsed)
            {
                objects.Add(parsed);
            }
        }

        foreach (var (name, count) in FileLayout.Duplicates(objects.Select(o => o.ObjectName)))
        {
            problems.Add($"objectName '{name}' is used by {count} objects: each file needs its own name");
        }

        // Only a rendered, single object writes a file at its own name (a folder or version history writes a folder there).
        var files = objects.Where(o => o.Render && !o.Expands).Select(o => o.ObjectName).ToHashSet(StringComparer.Ordinal);
        foreach (var (nested, file) in FileLayout.BelowFiles(objects.Where(o => o.Render).Select(o => o.ObjectName), files))
        {
            problems.Add($"objectName '{nested}' needs a folder '{file}' where another object puts a file");
        }

        if (objects.Count > 0 && objects.All(o => !o.Render))
        {
            problems.Add("every object has render: false, so nothing would be written; the driver needs at least one file");
        }

        return objects;
    }

    /// <summary>
    /// Refuses, in one streaming pass, what could make loading the document costly: size, nesting (the
    /// loader recurses) and aliases (one alias per level doubles what a reader walks: "billion laughs").
    /// </summary>
    private static string? Screen(string yaml)
    {
        var bytes = Encoding.UTF8.GetByteCount(yaml);
        if (bytes > MaxYamlBytes)
        {
            return $"'objects' is {bytes} bytes, above the limit of {MaxYamlBytes}: split the objects over several SecretProviderClasses";
        }

        var parser = new Parser(new StringReader(yaml));
        var depth = 0;
        while (MoveNext(parser))
        {
            switch (parser.Current)
            {
                case AnchorAlias alias:
                    return $"'objects' uses the YAML alias *{alias.Value} (line {alias.Start.Line}): aliases are not supported, write the value out";
                case SequenceStart or MappingStart when ++depth > MaxYamlDepth:
                    return $"'objects' is nested more than {MaxYamlDepth} levels deep (line {parser.Current.Start.Line})";
                case SequenceEnd or MappingEnd:
                    depth--;
                    break;
            }
        }

        return null;
    }

    private static bool MoveNext(Parser parser)
    {
        try
        {
            return parser.MoveNext();
        }
        catch (Exception ex) when (YamlErrors.IsMalformedInput(ex))
        {
            throw YamlErrors.Located(parser, ex);
        }
    }

    private static SecretObject? ParseObject(YamlNode node, int index, List<string> problems, List<string> warnings)
    {
        if (node is not YamlMappingNode mapping)
        {
            problems.Add($"objects[{index}] must be a mapping with objectName and secretPath");
            return null;
        }

        var before = problems.Count;
        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            if (!KnownFields.Contains(key, StringComparer.Ordinal))
            {
                warnings.Add($"objects[{index}]: unknown field '{key}' is ignored (known: {string.Join(", ", KnownFields)})");
                continue;
            }

            fields[key] = valueNode;
        }

        var name = Scalar(fields, "objectName", index, problems);
        var label = name is null ? $"objects[{index}]" : $"object '{name}'";
        if (name is null)
        {
            problems.Add($"{label}: objectName is required");
        }
        else if (ObjectNameProblem(name) is { } nameProblem)
        {
            problems.Add($"{label}: objectName {nameProblem}");
        }

        var (path, query) = SplitPath(Scalar(fields, "secretPath", index, problems));
        var template = ParseTemplate(fields, index, label, problems);
        if (path is null && template is null && !fields.ContainsKey("template"))
        {
            problems.Add($"{label}: secretPath is required");
        }

        var method = (Scalar(fields, "method", index, problems) ?? "GET").ToUpperInvariant();
        if (!Methods.Contains(method, StringComparer.Ordinal))
        {
            problems.Add($"{label}: method '{method}' is not one of {string.Join(", ", Methods)}");
        }

        var encodingText = Scalar(fields, "encoding", index, problems);
        var encoding = ParseEncoding(encodingText);
        if (encoding is null)
        {
            problems.Add($"{label}: encoding '{encodingText}' is not one of utf-8, base64, hex");
        }

        var secretKey = Scalar(fields, "secretKey", index, problems);
        var args = fields.TryGetValue("secretArgs", out var argsNode) && !YamlScalars.IsNull(argsNode) ? SecretArgsConverter.ToJson(argsNode, label, problems) : null;
        var mode = ParseFileMode(fields, label, problems, warnings);
        var leasePolicyText = Scalar(fields, "leasePolicy", index, problems);
        var leasePolicy = ParseLeasePolicy(leasePolicyText);
        if (leasePolicy is null)
        {
            problems.Add($"{label}: leasePolicy '{leasePolicyText}' is not one of reuse, reissue");
        }

        var format = ParseFormat(fields, index, label, secretKey, encodingText, problems);
        var keys = ParseKeys(fields, label, format, problems);
        var pkcs12Password = Scalar(fields, "pkcs12Password", index, problems);
        if (pkcs12Password is not null && format?.Name != "pkcs12")
        {
            problems.Add($"{label}: pkcs12Password applies only to format: pkcs12");
        }

        if (template is not null && (secretKey is not null || format is not null || encodingText is not null))
        {
            problems.Add($"{label}: template makes the whole file, so it cannot be combined with secretKey, format or encoding");
        }

        var folder = path?.EndsWith("/*", StringComparison.Ordinal) == true;
        if (folder)
        {
            path = path![..^2];
            if (method != "GET" || args is not null || query is not null)
            {
                problems.Add($"{label}: a folder (secretPath ending in /*) is listed and read with GET, so it takes no method, secretArgs or query");
            }
        }

        var versionHistory = ParseVersionHistory(fields, index, label, path, query, method, folder, problems);
        var render = true;
        if (Scalar(fields, "render", index, problems) is { } renderText && !GoBool.TryParse(renderText, out render))
        {
            problems.Add($"{label}: render must be true or false, got '{renderText}'");
        }

        return problems.Count > before
            ? null
            : new SecretObject(name!, path ?? string.Empty, query, secretKey, method, args, encoding!.Value, mode, leasePolicy!.Value, format?.Name, keys, pkcs12Password, template, render, folder, versionHistory);
    }

    /// <summary>The most versions one object may write: each is a read on the first poll.</summary>
    public const int MaxVersionHistory = 20;

    private static int? ParseVersionHistory(
        Dictionary<string, YamlNode> fields, int index, string label, string? path, string? query, string method, bool folder, List<string> problems)
    {
        if (Scalar(fields, "versionHistory", index, problems) is not { } text)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > MaxVersionHistory)
        {
            problems.Add($"{label}: versionHistory must be a number from 1 to {MaxVersionHistory}, got '{text}'");
            return null;
        }

        if (folder || method != "GET" || query is not null || path is null || KvV2Path.Of(path) is null)
        {
            problems.Add($"{label}: versionHistory needs a KV v2 secret read with GET, such as secret/data/app, with no query and no /*");
            return null;
        }

        return count;
    }

    private static SecretTemplate? ParseTemplate(Dictionary<string, YamlNode> fields, int index, string label, List<string> problems)
    {
        if (Scalar(fields, "template", index, problems) is not { } text)
        {
            return null;
        }

        var template = SecretTemplate.TryParse(text, out var error);
        if (template is null)
        {
            problems.Add($"{label}: template is not valid Liquid: {error}");
        }

        return template;
    }

    private static IFileFormat? ParseFormat(Dictionary<string, YamlNode> fields, int index, string label, string? secretKey, string? encoding, List<string> problems)
    {
        if (Scalar(fields, "format", index, problems) is not { } name)
        {
            return null;
        }

        var format = FileFormats.Find(name);
        if (format is null)
        {
            problems.Add($"{label}: format '{name}' is not one of {string.Join(", ", FileFormats.Names)}");
        }
        else if (secretKey is not null)
        {
            problems.Add($"{label}: format writes the whole secret, so it cannot be combined with secretKey (use keys: to choose keys)");
        }
        else if (encoding is not null)
        {
            problems.Add($"{label}: format writes values as stored, so it cannot be combined with encoding");
        }

        return format;
    }

    private static IReadOnlyList<string>? ParseKeys(Dictionary<string, YamlNode> fields, string label, IFileFormat? format, List<string> problems)
    {
        if (!fields.TryGetValue("keys", out var node))
        {
            return null;
        }

        if (node is not YamlSequenceNode list || list.Children.Any(c => c is not YamlScalarNode { Value.Length: > 0 }))
        {
            problems.Add($"{label}: keys must be a list of key names");
            return null;
        }

        var keys = list.Children.Select(c => ((YamlScalarNode)c).Value!).ToList();
        if (format is not { SelectsKeys: true })
        {
            problems.Add($"{label}: keys applies only to format: json, yaml or env");
        }
        else if (keys.Count == 0 || keys.Distinct(StringComparer.Ordinal).Count() != keys.Count)
        {
            problems.Add($"{label}: keys must name at least one key, each once");
        }

        return keys;
    }

    private static LeasePolicy? ParseLeasePolicy(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "reuse" => LeasePolicy.Reuse,
        "reissue" => LeasePolicy.Reissue,
        _ => null,
    };

    private static string? Scalar(Dictionary<string, YamlNode> fields, string field, int index, List<string> problems)
    {
        if (!fields.TryGetValue(field, out var node))
        {
            return null;
        }

        if (node is YamlScalarNode scalar)
        {
            // Go decodes a null (`secretKey: ~`, a templated `method:` left empty) as the field's zero value: unset.
            return YamlScalars.IsNull(scalar) || string.IsNullOrEmpty(scalar.Value) ? null : scalar.Value;
        }

        problems.Add($"objects[{index}]: {field} must be a single value, not a list or mapping");
        return null;
    }

    /// <summary>The driver refuses absolute paths and '..' elements; catching them here names the object at fault.</summary>
    internal static string? ObjectNameProblem(string name)
    {
        if (name.StartsWith('/'))
        {
            return $"'{name}' must be a relative file name, not an absolute path";
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            return "must not contain a NUL character";
        }

        var segments = name.Split('/');
        if (segments.Any(s => s is "" or "." or ".."))
        {
            return $"'{name}' must not contain empty, '.' or '..' path elements";
        }

        // The driver's own limits on what it writes (Linux's, and '..'-prefixed names for its atomic-writer's own files).
        if (Encoding.UTF8.GetByteCount(name) > MaxPathBytes)
        {
            return $"'{name[..32]}…' is longer than {MaxPathBytes} bytes, which the driver cannot write";
        }

        if (segments.FirstOrDefault(s => Encoding.UTF8.GetByteCount(s) > MaxFileNameBytes) is { } tooLong)
        {
            return $"'{name}' has an element of {Encoding.UTF8.GetByteCount(tooLong)} bytes, longer than the {MaxFileNameBytes} a file name may have";
        }

        if (segments[0].StartsWith("..", StringComparison.Ordinal))
        {
            return $"'{name}' must not start with '..': the driver keeps its own files under such names";
        }

        return null;
    }

    // OpenBao's paths may be written '/v1/x', 'v1/x', '/x' or 'x': all are the same request.
    private static (string? Path, string? Query) SplitPath(string? secretPath)
    {
        if (secretPath is null)
        {
            return (null, null);
        }

        var text = secretPath.Trim();
        var queryStart = text.IndexOf('?', StringComparison.Ordinal);
        var query = queryStart >= 0 ? text[(queryStart + 1)..] : null;
        var path = queryStart >= 0 ? text[..queryStart] : text;
        path = path.TrimStart('/');
        if (path.StartsWith("v1/", StringComparison.Ordinal))
        {
            path = path[3..];
        }

        path = path.Trim('/');
        return (path.Length == 0 ? null : path, string.IsNullOrEmpty(query) ? null : query);
    }

    private static SecretEncoding? ParseEncoding(string? text) => text?.ToLowerInvariant() switch
    {
        null or "utf-8" or "utf8" => SecretEncoding.Utf8,
        "base64" => SecretEncoding.Base64,
        "hex" => SecretEncoding.Hex,
        _ => null,
    };

    /// <remarks>
    /// Read as Go's YAML reads the number (0600 is octal, 420 decimal). Bits above 0777 (setuid, sticky, a file
    /// type copied from stat) pass through the Go providers, and the driver's writer keeps only the permission
    /// bits; they are dropped here with a warning, so every reader of the mode sees what lands on disk.
    /// </remarks>
    private static int? ParseFileMode(Dictionary<string, YamlNode> fields, string label, List<string> problems, List<string> warnings)
    {
        if (!fields.TryGetValue("filePermission", out var node))
        {
            return null;
        }

        var text = (node as YamlScalarNode)?.Value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!YamlScalars.TryParseInteger(text, out var mode) || mode is < 0 or > uint.MaxValue)
        {
            problems.Add($"{label}: filePermission '{text}' is not a file mode (write it in octal, e.g. 0600)");
            return null;
        }

        var permission = (int)(mode & MountRequestParser.MaxFileMode);
        if (mode > MountRequestParser.MaxFileMode)
        {
            warnings.Add($"{label}: filePermission '{text}' has bits above 0777, which the CSI driver drops; the file is written {Convert.ToString(permission, 8).PadLeft(4, '0')}");
        }

        // Zero is Go's unset, so the driver's default applies; a mode whose permission bits alone are zero is kept.
        return mode == 0 ? null : permission;
    }

    private sealed record Parsed(IReadOnlyList<SecretObject> Objects, string[] Problems, string[] Warnings);
}
