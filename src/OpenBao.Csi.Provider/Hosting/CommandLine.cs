using System.Globalization;
using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Hosting;

/// <summary>
/// Go-style flags (<c>-name=value</c>, <c>-name value</c>, <c>--name…</c>) with the Go provider's
/// names and environment variables, so existing DaemonSet args keep working.
/// </summary>
internal static class CommandLine
{
    internal delegate void Apply(ProviderOptions options, string value);

    internal sealed record Flag(string Name, string Usage, Apply Set, bool IsBool = false, string[]? Aliases = null, string[]? Environment = null);

    private static readonly Flag[] Flags =
    [
        new("endpoint", "Unix socket the driver connects to; its file name is the provider name (default /tmp/openbao.sock)", (o, v) => o.Endpoint = NonEmpty("endpoint", v)),
        new("socket-mode", "file mode of the socket, octal (default 0600)", (o, v) => o.SocketMode = ParseMode("socket-mode", v)),
        new("openbao-addr", "OpenBao address (default https://127.0.0.1:8200)", (o, v) => o.OpenBaoAddress = ParseUrl("openbao-addr", v),
            Aliases: ["vault-addr"], Environment: ["BAO_ADDR", "VAULT_ADDR"]),
        new("openbao-failover-addr", "OpenBao cluster to mount from while the primary is unreachable, sealed or answers 5xx (default: none)", (o, v) => o.OpenBaoFailoverAddress = string.IsNullOrEmpty(v) ? null : ParseUrl("openbao-failover-addr", v),
            Aliases: ["vault-failover-addr"]),
        new("openbao-mount", "auth mount to log in with (default kubernetes)", (o, v) => o.OpenBaoAuthMount = NonEmpty("openbao-mount", v).Trim('/'),
            Aliases: ["vault-mount"]),
        new("openbao-namespace", "OpenBao namespace (default: the root namespace)", (o, v) => o.OpenBaoNamespace = Optional(v),
            Aliases: ["vault-namespace"], Environment: ["BAO_NAMESPACE", "VAULT_NAMESPACE"]),
        new("openbao-tls-ca-cert", "PEM file of CA certificates to trust for OpenBao (default: the system's trusted CAs)", (o, v) => o.OpenBaoTls = o.OpenBaoTls with { CaCertPath = Optional(v) },
            Aliases: ["vault-tls-ca-cert"], Environment: ["BAO_CACERT", "VAULT_CACERT"]),
        new("openbao-tls-ca-directory", "directory of PEM CA certificates to trust for OpenBao (default: none)", (o, v) => o.OpenBaoTls = o.OpenBaoTls with { CaDirectory = Optional(v) },
            Aliases: ["vault-tls-ca-directory"], Environment: ["BAO_CAPATH", "VAULT_CAPATH"]),
        new("openbao-tls-server-name", "name to verify OpenBao's certificate against (default: the host of the address)", (o, v) => o.OpenBaoTls = o.OpenBaoTls with { ServerName = Optional(v) },
            Aliases: ["vault-tls-server-name"], Environment: ["BAO_TLS_SERVER_NAME", "VAULT_TLS_SERVER_NAME"]),
        new("openbao-tls-client-cert", "PEM client certificate for TLS to OpenBao (default: none)", (o, v) => o.OpenBaoTls = o.OpenBaoTls with { ClientCertPath = Optional(v) },
            Aliases: ["vault-tls-client-cert"], Environment: ["BAO_CLIENT_CERT", "VAULT_CLIENT_CERT"]),
        new("openbao-tls-client-key", "PEM key of the client certificate (default: none)", (o, v) => o.OpenBaoTls = o.OpenBaoTls with { ClientKeyPath = Optional(v) },
            Aliases: ["vault-tls-client-key"], Environment: ["BAO_CLIENT_KEY", "VAULT_CLIENT_KEY"]),
        new("openbao-tls-skip-verify", "do not verify OpenBao's certificate (insecure; default false)", (o, v) => o.OpenBaoTls = o.OpenBaoTls with { SkipVerify = ParseBool("openbao-tls-skip-verify", v) },
            IsBool: true, Aliases: ["vault-tls-skip-verify"], Environment: ["BAO_SKIP_VERIFY", "VAULT_SKIP_VERIFY"]),
        new("openbao-timeout", "timeout of one request to OpenBao (default 30s)", (o, v) => o.OpenBaoTimeout = ParseDuration("openbao-timeout", v)),
        new("allowed-peer-uids", "comma-separated UIDs that may call Mount on the socket; the provider's own UID is always allowed (default 0, the CSI driver's)", (o, v) => o.AllowedPeerUids = ParseUids("allowed-peer-uids", v)),
        new("mount-timeout", "longest a mount may take, retries and logins included; keep it below the kubelet's 2m (default 1m30s)", (o, v) => o.MountTimeout = ParseDuration("mount-timeout", v)),
        new("openbao-max-response-bytes", "largest OpenBao answer read, in bytes (default 4194304, the driver's own limit)", (o, v) => o.OpenBaoMaxResponseBytes = ParsePositive("openbao-max-response-bytes", v)),
        new("max-mount-response-bytes", "largest Mount answer sent, in bytes: the driver's --max-call-recv-msg-size, raised together (default 4194304, the driver's default)", (o, v) => o.MaxMountResponseBytes = ParsePositive("max-mount-response-bytes", v)),
        new("health-addr", "host:port of the health listener, empty to turn it off (default :8080)", (o, v) => o.HealthAddress = ParseHealth(v)),
        new("hmac-secret-name", "Kubernetes Secret holding the version key, created when missing (default openbao-csi-provider-hmac-key; vault-csi-provider-hmac-key when -endpoint names vault.sock)", (o, v) => o.HmacSecretName = NonEmpty("hmac-secret-name", v)),
        new("hmac-secret-namespace", "namespace of that Secret (default: the provider's own)", (o, v) => o.HmacSecretNamespace = Optional(v)),
        new("kubeconfig", "kubeconfig to use (default: the files KUBECONFIG lists, merged as kubectl does, then in-cluster, then ~/.kube/config)", (o, v) => o.Kubeconfig = Optional(v)),
        new("hmac-key-file", "file holding the version key (at least 32 bytes); wins over the Secret (default: none)", (o, v) => o.HmacKeyFile = Optional(v)),
        new("cache-size", "most OpenBao tokens kept (one per pod and role, default 1000; 0 turns caching off)", (o, v) => o.CacheSize = ParseCount("cache-size", v)),
        new("default-audience", "audience of the driver token used when the SecretProviderClass sets none (default openbao; vault when -endpoint names vault.sock)", (o, v) => o.DefaultAudience = NonEmpty("default-audience", v)),
        new("renew-fraction", "share of a token's or lease's TTL after which it is renewed, or replaced when it cannot be; each acts up to a tenth earlier, at random (default 0.67)", (o, v) => o.RenewFraction = ParseFraction("renew-fraction", v)),
        new("revoke-tokens", "revoke the OpenBao tokens, and with them the leases, of deleted, finished, idle or evicted pods (default true)", (o, v) => o.RevokeTokens = ParseBool("revoke-tokens", v), IsBool: true),
        new("emit-events", "post a Warning Event (SecretRotationFailed) on a pod whose rotation poll fails, and a Normal one (SecretRotationRecovered) when it works again (default true)", (o, v) => o.EmitEvents = ParseBool("emit-events", v), IsBool: true),
        new("idle-timeout", "without a pod watch, release a pod's token when no mount asked for it in this long (default 10m)", (o, v) => o.IdleTimeout = ParseDuration("idle-timeout", v)),
        new("node-name", "this node's name; restricts the pod watch to its pods (the chart sets it from the downward API; default: none, then -idle-timeout releases tokens)", (o, v) => o.NodeName = Optional(v),
            Environment: ["NODE_NAME"]),
        new("log-level", "trace, debug, info, warn, error or off (default info)", (o, v) => o.LogLevel = ParseLogLevel(v)),
        new("log-format", "text or json: json writes one object per line with every structured field (default text)", (o, v) => o.JsonLogs = ParseLogFormat(v)),
        new("debug", "same as -log-level=debug; an explicit -log-level wins (default false)", (o, v) => o.Debug = ParseBool("debug", v), IsBool: true),
        new("shutdown-timeout", "how long in-flight mounts may run after SIGTERM (default 30s)", (o, v) => o.ShutdownTimeout = ParseDuration("shutdown-timeout", v)),
        new("version", "print version information as JSON and exit (default false)", (o, v) => o.PrintVersion = ParseBool("version", v), IsBool: true),
    ];

    public static string Usage => Describe(Flags);

    /// <summary>Parses arguments over environment over defaults. Throws <see cref="FlagException"/>; returns null for -h/-help.</summary>
    public static ProviderOptions? Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var options = new ProviderOptions();
        ApplyEnvironment(options, Flags, environment);
        var named = new HashSet<string>(StringComparer.Ordinal);
        var parsed = GoFlagSyntax.Read(args, name => Find(Flags, name)?.IsBool, (name, value) =>
        {
            var flag = Find(Flags, name)!;
            flag.Set(options, value);
            named.Add(flag.Name);
        });
        // Serving as `vault` takes over a vault-csi-provider install: its Role lets the provider read only that
        // install's own key Secret, and its driver passes tokens for vault-csi-provider's default audience.
        if (Path.GetFileName(options.Endpoint) == VaultSocketName)
        {
            if (!named.Contains("hmac-secret-name"))
            {
                options.HmacSecretName = VaultHmacSecretName;
            }

            if (!named.Contains("default-audience"))
            {
                options.DefaultAudience = VaultAudience;
            }
        }

        return parsed ? options : null;
    }

    private const string VaultSocketName = "vault.sock";
    private const string VaultHmacSecretName = "vault-csi-provider-hmac-key";
    private const string VaultAudience = "vault";

    /// <summary>The server flags named, for a subcommand that runs part of the provider in its own process.</summary>
    internal static IReadOnlyList<Flag> Select(params string[] names) =>
        [.. names.Select(name => Flags.SingleOrDefault(f => f.Name == name) ?? throw new ArgumentException($"no server flag -{name}", nameof(names)))];

    /// <summary>Usage lines in the format of <see cref="Usage"/>.</summary>
    internal static string Describe(IEnumerable<Flag> flags) =>
        string.Join('\n', flags.Select(f =>
            $"  -{f.Name}{(f.Aliases is null ? string.Empty : $" (or -{string.Join(", -", f.Aliases)})")}\n        {f.Usage}"
            + (f.Environment is null ? string.Empty : $" [env {string.Join(", ", f.Environment)}]")));

    internal static void ApplyEnvironment(ProviderOptions options, IEnumerable<Flag> flags, Func<string, string?> environment)
    {
        foreach (var flag in flags.Where(f => f.Environment is not null))
        {
            if (flag.Environment!.Select(environment).FirstOrDefault(v => !string.IsNullOrEmpty(v)) is { } value)
            {
                flag.Set(options, value);
            }
        }
    }

    internal static Flag? Find(IEnumerable<Flag> flags, string name) =>
        flags.FirstOrDefault(f => f.Name == name || (f.Aliases?.Contains(name, StringComparer.Ordinal) ?? false));

    private static string NonEmpty(string flag, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw new FlagException($"invalid value \"\" for flag -{flag}: must not be empty") : value.Trim();

    private static string? Optional(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static bool ParseBool(string flag, string value) =>
        GoBool.TryParse(value, out var parsed) ? parsed : throw Invalid(flag, value, "expected true or false");

    private static Uri ParseUrl(string flag, string value) =>
        OpenBaoAddress.TryParse(value, out var uri) ? uri! : throw Invalid(flag, value, $"expected {OpenBaoAddress.Expected}");

    private static int ParseCount(string flag, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw Invalid(flag, value, "expected a whole number, 0 or more");

    private static HashSet<uint> ParseUids(string flag, string value)
    {
        var uids = new HashSet<uint>();
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            uids.Add(uint.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                ? uid
                : throw Invalid(flag, value, "expected comma-separated numeric UIDs, such as 0,1000"));
        }

        return uids.Count > 0 ? uids : throw Invalid(flag, value, "expected at least one UID");
    }

    private static bool ParseLogFormat(string value) => value.Trim().ToLowerInvariant() switch
    {
        "text" => false,
        "json" => true,
        _ => throw Invalid("log-format", value, "expected text or json"),
    };

    private static long ParsePositive(string flag, string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw Invalid(flag, value, "expected a whole number above 0");

    private static double ParseFraction(string flag, string value) =>
        double.TryParse(value.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var fraction) && fraction is > 0.05 and < 0.95
            ? fraction
            : throw Invalid(flag, value, "expected a fraction between 0.05 and 0.95, such as 0.67");

    private static UnixFileMode ParseMode(string flag, string value)
    {
        try
        {
            var mode = Convert.ToInt32(value.Trim(), 8);
            return mode is >= 0 and <= 511 ? (UnixFileMode)mode : throw Invalid(flag, value, "expected an octal mode from 0000 to 0777");
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
        {
            throw Invalid(flag, value, "expected an octal mode such as 0600");
        }
    }

    private static HealthAddress? ParseHealth(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return HealthAddress.TryParse(value.Trim(), out var address)
            ? address
            : throw Invalid("health-addr", value, "expected host:port or :port");
    }

    /// <summary>Go duration syntax for the common units: 500ms, 30s, 2m, 1h, 1m30s.</summary>
    internal static TimeSpan ParseDuration(string flag, string value)
    {
        var text = value.Trim();
        var total = TimeSpan.Zero;
        var position = 0;
        while (position < text.Length)
        {
            var start = position;
            while (position < text.Length && (char.IsAsciiDigit(text[position]) || text[position] == '.'))
            {
                position++;
            }

            var unitStart = position;
            while (position < text.Length && char.IsAsciiLetter(text[position]))
            {
                position++;
            }

            if (!double.TryParse(text.AsSpan(start, unitStart - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                throw Invalid(flag, value, "expected a duration such as 30s or 2m");
            }

            total += text[unitStart..position] switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => throw Invalid(flag, value, "expected a duration such as 30s or 2m (units ms, s, m, h)"),
            };
        }

        return total > TimeSpan.Zero ? total : throw Invalid(flag, value, "expected a duration above zero such as 30s");
    }

    private static LogLevel ParseLogLevel(string value) => value.Trim().ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" or "information" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "off" or "none" => LogLevel.None,
        _ => throw Invalid("log-level", value, "expected trace, debug, info, warn, error or off"),
    };

    private static FlagException Invalid(string flag, string value, string expected) =>
        new($"invalid value \"{value}\" for flag -{flag}: {expected}");
}
