using System.Globalization;
using System.Text.Json;

namespace OpenBao.Csi.Provider.Mounting;

/// <summary>
/// The one entry point that turns a MountRequest's strings into a <see cref="MountConfiguration"/>.
/// Every problem is collected so an operator fixes the SecretProviderClass in one round.
/// </summary>
internal static class MountRequestParser
{
    private const int DefaultFileMode = 420; // 0644, what the driver sends when nothing is configured.
    private const int MaxFileMode = 511; // 0777

    public static MountConfiguration Parse(string attributesJson, string permission)
    {
        var problems = new List<string>();
        var attributes = ReadAttributes(attributesJson, problems);
        var warnings = new List<string>();
        var (roleName, overrides, objects) = ReadParameters(attributes, problems, warnings);
        var pod = ReadPod(attributes, problems);
        var tokens = ReadDriverTokens(Plain(attributes, AttributeKeys.ServiceAccountTokens), problems);
        var defaultMode = ReadPermission(permission, problems);

        if (problems.Count > 0)
        {
            throw new InvalidMountRequestException(problems);
        }

        return new MountConfiguration(
            roleName!,
            Plain(attributes, AttributeKeys.Audience),
            overrides,
            pod!,
            tokens,
            objects,
            defaultMode,
            Plain(attributes, AttributeKeys.SecretProviderClass),
            warnings);
    }

    /// <summary>What a Mount would report about a SecretProviderClass's parameters alone, without a pod: <c>validate</c> runs this.</summary>
    public static (IReadOnlyList<string> Problems, IReadOnlyList<string> Warnings, int Objects) Check(IReadOnlyDictionary<string, string> parameters)
    {
        var problems = new List<string>();
        var warnings = new List<string>();
        var (_, _, objects) = ReadParameters(new Dictionary<string, string>(parameters, StringComparer.Ordinal), problems, warnings);
        return (problems, warnings, objects.Count);
    }

    private static (string? RoleName, OpenBaoOverrides Overrides, IReadOnlyList<SecretObject> Objects) ReadParameters(
        Dictionary<string, string> attributes, List<string> problems, List<string> warnings)
    {
        var roleName = Connection(attributes, "RoleName") ?? Plain(attributes, AttributeKeys.RoleName);
        if (roleName is null)
        {
            problems.Add("missing 'roleName' parameter in the SecretProviderClass");
        }

        var overrides = ReadOverrides(attributes, problems);
        return (roleName, overrides, ObjectsParser.Parse(Plain(attributes, AttributeKeys.Objects), problems, warnings));
    }

    /// <summary>Who asked, as far as the attributes tell, whatever else is wrong with the request: for the mount's log line.</summary>
    public static MountCaller Identify(string attributesJson)
    {
        var attributes = ReadAttributes(attributesJson, []);
        return new MountCaller(
            Plain(attributes, AttributeKeys.PodNamespace),
            Plain(attributes, AttributeKeys.PodName),
            Plain(attributes, AttributeKeys.PodUid),
            Plain(attributes, AttributeKeys.SecretProviderClass));
    }

    /// <summary>"namespace/pod (SecretProviderClass x)" for log lines about a mount, whatever else is wrong with the request.</summary>
    public static string DescribePod(string attributesJson) => Identify(attributesJson).Describe();

    private static Dictionary<string, string> ReadAttributes(string json, List<string> problems)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json))
        {
            problems.Add("attributes are empty: the driver sent no SecretProviderClass parameters");
            return attributes;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problems.Add("attributes must be a JSON object of strings");
                return attributes;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    attributes[property.Name] = property.Value.GetString()!;
                }
                else
                {
                    problems.Add($"parameter '{property.Name}' must be a string, not {property.Value.ValueKind.ToString().ToLowerInvariant()}");
                }
            }
        }
        catch (JsonException ex)
        {
            problems.Add($"attributes are not valid JSON (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1})");
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json reports an escaped unpaired surrogate only when the string is read.
            problems.Add("attributes hold a name or value that is not valid Unicode (an unpaired \\u surrogate escape)");
        }

        return attributes;
    }

    private static OpenBaoOverrides ReadOverrides(Dictionary<string, string> attributes, List<string> problems)
    {
        var address = Connection(attributes, "Address");
        if (address is not null && !OpenBaoAddress.TryParse(address, out _))
        {
            problems.Add($"'{ConnectionKeyInUse(attributes, "Address")}' must be {OpenBaoAddress.Expected}, got '{address}'");
        }

        var failover = Connection(attributes, "FailoverAddress");
        if (failover is not null && !OpenBaoAddress.TryParse(failover, out _))
        {
            problems.Add($"'{ConnectionKeyInUse(attributes, "FailoverAddress")}' must be {OpenBaoAddress.Expected}, got '{failover}'");
        }

        var kubernetesMount = Connection(attributes, "KubernetesMountPath");
        var authMount = Connection(attributes, "AuthMountPath");
        if (kubernetesMount is not null && authMount is not null)
        {
            problems.Add(
                $"set only one of '{ConnectionKeyInUse(attributes, "KubernetesMountPath")}' and '{ConnectionKeyInUse(attributes, "AuthMountPath")}': both name the auth mount");
        }

        var mount = (authMount ?? kubernetesMount)?.Trim('/');
        if (mount is { Length: 0 })
        {
            problems.Add("the auth mount path is empty");
        }

        bool? skipVerify = null;
        if (Connection(attributes, "SkipTLSVerify") is { } skipText)
        {
            if (GoBool.TryParse(skipText, out var skip))
            {
                skipVerify = skip;
            }
            else
            {
                problems.Add($"'{ConnectionKeyInUse(attributes, "SkipTLSVerify")}' must be true or false, got '{skipText}'");
            }
        }

        return new OpenBaoOverrides(
            address,
            Connection(attributes, "Namespace"),
            mount,
            Connection(attributes, "CACertPath"),
            Connection(attributes, "CADirectory"),
            Connection(attributes, "TLSServerName"),
            Connection(attributes, "TLSClientCertPath"),
            Connection(attributes, "TLSClientKeyPath"),
            skipVerify,
            failover);
    }

    private static PodIdentity? ReadPod(Dictionary<string, string> attributes, List<string> problems)
    {
        var ns = Plain(attributes, AttributeKeys.PodNamespace);
        var serviceAccount = Plain(attributes, AttributeKeys.ServiceAccountName);
        if (ns is null)
        {
            problems.Add($"missing '{AttributeKeys.PodNamespace}': the driver did not say which pod this mount is for");
        }

        if (serviceAccount is null)
        {
            problems.Add($"missing '{AttributeKeys.ServiceAccountName}': the driver did not say which service account the pod runs as");
        }

        return ns is null || serviceAccount is null
            ? null
            : new PodIdentity(ns, serviceAccount, Plain(attributes, AttributeKeys.PodName), Plain(attributes, AttributeKeys.PodUid));
    }

    private static Dictionary<string, DriverToken> ReadDriverTokens(string? json, List<string> problems)
    {
        var tokens = new Dictionary<string, DriverToken>(StringComparer.Ordinal);
        if (json is null)
        {
            return tokens;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"'{AttributeKeys.ServiceAccountTokens}' must be a JSON object keyed by audience");
                return tokens;
            }

            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (entry.Value.ValueKind == JsonValueKind.Object
                    && entry.Value.TryGetProperty("token", out var token) && token.ValueKind == JsonValueKind.String
                    && token.GetString() is { Length: > 0 } jwt)
                {
                    tokens[entry.Name] = new DriverToken(jwt, ReadExpiry(entry.Value));
                }
                else
                {
                    problems.Add($"'{AttributeKeys.ServiceAccountTokens}' entry for audience '{entry.Name}' has no token");
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            problems.Add($"'{AttributeKeys.ServiceAccountTokens}' is not valid JSON");
        }

        return tokens;
    }

    private static DateTimeOffset? ReadExpiry(JsonElement entry) =>
        entry.TryGetProperty("expirationTimestamp", out var value) && value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiry)
            ? expiry
            : null;

    private static int ReadPermission(string permission, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(permission))
        {
            return DefaultFileMode;
        }

        if (int.TryParse(permission, NumberStyles.None, CultureInfo.InvariantCulture, out var mode) && mode <= MaxFileMode)
        {
            return mode;
        }

        problems.Add($"permission '{permission}' is not a file mode: expected a decimal number from 0 to 511 (e.g. 420 for 0644)");
        return DefaultFileMode;
    }

    private static string? Plain(Dictionary<string, string> attributes, string key) =>
        attributes.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static string? Connection(Dictionary<string, string> attributes, string suffix) =>
        AttributeKeys.ConnectionPrefixes.Select(prefix => Plain(attributes, prefix + suffix)).FirstOrDefault(v => v is not null);

    private static string ConnectionKeyInUse(Dictionary<string, string> attributes, string suffix) =>
        AttributeKeys.ConnectionPrefixes.Select(prefix => prefix + suffix).First(key => Plain(attributes, key) is not null);
}
