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
    internal const int MaxFileMode = 511; // 0777

    public static MountConfiguration Parse(string attributesJson, string permission) => Parse(MountAttributes.Read(attributesJson), permission);

    public static MountConfiguration Parse(MountAttributes attributes, string permission)
    {
        if (attributes.Parsed is { } parsed && parsed.Permission == permission)
        {
            return parsed.Configuration;
        }

        var problems = new List<string>(attributes.Problems);
        var warnings = new List<string>();
        var (roleName, overrides, objects) = ReadParameters(attributes, problems, warnings);
        var pod = ReadPod(attributes, problems);
        var tokens = ReadDriverTokens(attributes.Plain(AttributeKeys.ServiceAccountTokens), problems);
        var defaultMode = ReadPermission(permission, problems);

        if (problems.Count > 0)
        {
            throw new InvalidMountRequestException(problems);
        }

        var configuration = new MountConfiguration(
            roleName!,
            attributes.Plain(AttributeKeys.Audience),
            overrides,
            pod!,
            tokens,
            objects,
            defaultMode,
            attributes.Plain(AttributeKeys.SecretProviderClass),
            warnings);
        attributes.Parsed = new MountAttributes.ParsedMount(permission, configuration);
        return configuration;
    }

    /// <summary>What a Mount would report about a SecretProviderClass's parameters alone, without a pod: <c>validate</c> runs this.</summary>
    public static (IReadOnlyList<string> Problems, IReadOnlyList<string> Warnings, int Objects) Check(IReadOnlyDictionary<string, string> parameters)
    {
        var problems = new List<string>();
        var warnings = new List<string>();
        var (_, _, objects) = ReadParameters(MountAttributes.Of(parameters), problems, warnings);
        return (problems, warnings, objects.Count);
    }

    private static (string? RoleName, OpenBaoOverrides Overrides, IReadOnlyList<SecretObject> Objects) ReadParameters(
        MountAttributes attributes, List<string> problems, List<string> warnings)
    {
        var roleName = Connection(attributes, "RoleName") ?? attributes.Plain(AttributeKeys.RoleName);
        if (roleName is null)
        {
            problems.Add("missing 'roleName' parameter in the SecretProviderClass");
        }

        var overrides = ReadOverrides(attributes, problems);
        WarnUnknownParameters(attributes, warnings);
        return (roleName, overrides, ObjectsParser.Parse(attributes.Raw(AttributeKeys.Objects), problems, warnings));
    }

    /// <summary>The Go providers ignore a parameter they do not know; a misspelt one silently falls back to a default, so it is named.</summary>
    private static void WarnUnknownParameters(MountAttributes attributes, List<string> warnings)
    {
        List<string>? unknown = null;
        foreach (var key in attributes.Keys)
        {
            if (!AttributeKeys.Parameters.Contains(key) && key != AttributeKeys.SecretProviderClass && !key.StartsWith(AttributeKeys.DriverPrefix, StringComparison.Ordinal))
            {
                (unknown ??= []).Add(key);
            }
        }

        if (unknown is null)
        {
            return;
        }

        unknown.Sort(StringComparer.Ordinal);
        foreach (var key in unknown)
        {
            var closest = AttributeKeys.Parameters.MinBy(known => EditDistance(key, known))!;
            var hint = EditDistance(key, closest) <= 2 ? $" (did you mean '{closest}'?)" : string.Empty;
            warnings.Add($"unknown parameter '{key}' is ignored{hint}");
        }
    }

    // Levenshtein distance, ignoring case: 'rolename' is one a user meant as 'roleName'.
    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var same = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]);
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (same ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    /// <summary>Who asked, as far as the attributes tell, whatever else is wrong with the request: for the mount's log line.</summary>
    public static MountCaller Identify(MountAttributes attributes) =>
        attributes.Caller ??= new(
            attributes.Plain(AttributeKeys.PodNamespace),
            attributes.Plain(AttributeKeys.PodName),
            attributes.Plain(AttributeKeys.PodUid),
            attributes.Plain(AttributeKeys.SecretProviderClass));

    private static OpenBaoOverrides ReadOverrides(MountAttributes attributes, List<string> problems)
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

    private static PodIdentity? ReadPod(MountAttributes attributes, List<string> problems)
    {
        var ns = attributes.Plain(AttributeKeys.PodNamespace);
        var serviceAccount = attributes.Plain(AttributeKeys.ServiceAccountName);
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
            : new PodIdentity(ns, serviceAccount, attributes.Plain(AttributeKeys.PodName), attributes.Plain(AttributeKeys.PodUid));
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

    /// <remarks>
    /// The kubelet writes RFC 3339 in UTC to the second; read in that one shape first, since the general parser
    /// costs more than the rest of a mount's parsing together.
    /// </remarks>
    private static DateTimeOffset? ReadExpiry(JsonElement entry) =>
        entry.TryGetProperty("expirationTimestamp", out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { } text
            && (DateTimeOffset.TryParseExact(text, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiry)
                || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out expiry))
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

    private static string? Connection(MountAttributes attributes, string suffix) =>
        ConnectionKey(attributes, suffix) is { } key ? attributes.Plain(key) : null;

    private static string ConnectionKeyInUse(MountAttributes attributes, string suffix) => ConnectionKey(attributes, suffix)!;

    /// <summary>The first prefixed spelling of a connection setting that the SecretProviderClass sets.</summary>
    private static string? ConnectionKey(MountAttributes attributes, string suffix)
    {
        foreach (var key in AttributeKeys.ConnectionKeys[suffix])
        {
            if (attributes.Plain(key) is not null)
            {
                return key;
            }
        }

        return null;
    }
}
