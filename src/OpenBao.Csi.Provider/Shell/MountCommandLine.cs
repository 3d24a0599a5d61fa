using OpenBao.Csi.Provider.Hosting;

namespace OpenBao.Csi.Provider.Shell;

/// <summary>
/// <c>mount</c>'s flags, in the server's Go syntax: its own, plus the server's flags that an in-process mount
/// needs (where OpenBao is and how to reach it, the version key, the time budget, logging) and the kubeconfig.
/// </summary>
internal static class MountCommandLine
{
    private sealed record Flag(string Name, string Value, string Usage, Action<MountOptions, string> Set);

    private static readonly Flag[] Flags =
    [
        new("f", "FILE", "SecretProviderClass manifest to mount, - for stdin (required; a file with several documents may hold one SecretProviderClass)", (o, v) => o.ManifestPath = NonEmpty("f", v)),
        new("pod", "NAMESPACE/NAME", "the pod to mount for (required)", (o, v) => (o.PodNamespace, o.PodName) = ParsePod(v)),
        new("pod-uid", "UID", "the pod's UID (default: read from the cluster when the token is requested there, else not sent)", (o, v) => o.PodUid = NonEmpty("pod-uid", v)),
        new("service-account", "NAME", $"the pod's service account (default: the pod's own, read from the cluster or the -token-file's claims, else {MountOptions.DefaultServiceAccount})", (o, v) => o.ServiceAccount = NonEmpty("service-account", v)),
        new("token-file", "PATH", "file holding the pod's service-account JWT, re-read on every poll (default: a TokenRequest through the kubeconfig, bound to the pod)", (o, v) => o.TokenFile = NonEmpty("token-file", v)),
        new("audience", "AUDIENCE", "audience of the token passed as the driver passes it (default: the SecretProviderClass's audience, else openbao)", (o, v) => o.Audience = NonEmpty("audience", v)),
        new("socket", "PATH", "Unix socket of a running provider to call (default: mount in this process, with the provider flags below)", (o, v) => o.Socket = NonEmpty("socket", v)),
        new("target", "DIR", "directory to write the files into as the driver does, created if missing (default: none, print the table only)", (o, v) => o.TargetDirectory = NonEmpty("target", v)),
        new("watch", "INTERVAL", "poll again at this interval as the driver's rotation does, printing what rotated, appeared or disappeared, until Ctrl-C (default: mount once)", (o, v) => o.WatchInterval = CommandLine.ParseDuration("watch", v)),
    ];

    /// <summary>Server flags with the meaning they have here; a null usage keeps the server's text.</summary>
    private static readonly (string Name, string? Usage)[] InProcessFlags =
    [
        ("openbao-addr", null),
        ("openbao-failover-addr", null),
        ("openbao-mount", null),
        ("openbao-namespace", null),
        ("openbao-tls-ca-cert", null),
        ("openbao-tls-ca-directory", null),
        ("openbao-tls-server-name", null),
        ("openbao-tls-client-cert", null),
        ("openbao-tls-client-key", null),
        ("openbao-tls-skip-verify", "do not verify OpenBao's certificate (insecure; default false)"),
        ("openbao-timeout", null),
        ("openbao-max-response-bytes", null),
        ("mount-timeout", "longest the mount may take, retries and logins included (default 1m30s)"),
        ("hmac-key-file", "file holding the provider's version key (at least 32 bytes), so versions match its own (default: the Secret of -hmac-secret-namespace, else a key made for this run)"),
        ("hmac-secret-namespace", "read the version key from the provider's Secret in this namespace, through the kubeconfig (default: none)"),
        ("hmac-secret-name", "name of that Secret (default openbao-csi-provider-hmac-key)"),
        ("log-level", "trace, debug, info, warn, error or off, written to stderr (default warn)"),
        ("debug", "same as -log-level=debug; an explicit -log-level wins (default false)"),
    ];

    /// <summary>The server flag that applies with and without <c>-socket</c>: where the TokenRequest goes.</summary>
    private const string KubeconfigFlag = "kubeconfig";

    private static readonly IReadOnlyList<CommandLine.Flag> ServerFlags =
        [.. CommandLine.Select([KubeconfigFlag, .. InProcessFlags.Select(f => f.Name)])
            .Select(flag => InProcessFlags.FirstOrDefault(f => f.Name == flag.Name).Usage is { } usage ? flag with { Usage = usage } : flag)];

    public static string Usage =>
        "Usage of openbao-csi-provider mount:\n" +
        "  openbao-csi-provider mount -f FILE -pod NAMESPACE/NAME [flags]\n\n" +
        "Plays the CSI driver for one pod: sends the Mount request the driver would send for the SecretProviderClass\n" +
        "in FILE to a running provider (-socket) or to the provider's pipeline in this process, and prints each\n" +
        "object's file mode, size and version, never its contents. Exit 1 when the mount fails, 2 for bad usage.\n\n" +
        string.Join('\n', Flags.Select(f => $"  -{f.Name} {f.Value}\n        {f.Usage}")) + "\n" +
        CommandLine.Describe(ServerFlags.Where(f => f.Name == KubeconfigFlag)) + "\n\n" +
        "In-process mounts (without -socket) also take these provider flags:\n" +
        CommandLine.Describe(ServerFlags.Where(f => f.Name != KubeconfigFlag));

    /// <summary>Parses arguments over environment over defaults. Throws <see cref="FlagException"/>; returns null for -h/-help.</summary>
    public static MountOptions? Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var options = new MountOptions();
        options.Server.Environment = environment;
        CommandLine.ApplyEnvironment(options.Server, ServerFlags, environment);
        var inProcessOnly = new List<string>();
        var parsed = GoFlagSyntax.Read(
            args,
            name => Flags.Any(f => f.Name == name) ? false : CommandLine.Find(ServerFlags, name)?.IsBool,
            (name, value) =>
            {
                if (Flags.FirstOrDefault(f => f.Name == name) is { } own)
                {
                    own.Set(options, value);
                    return;
                }

                var server = CommandLine.Find(ServerFlags, name)!;
                server.Set(options.Server, value);
                if (server.Name != KubeconfigFlag)
                {
                    inProcessOnly.Add(name);
                }
            });
        if (!parsed)
        {
            return null;
        }

        if (options.ManifestPath.Length == 0)
        {
            throw new FlagException("missing flag -f: the SecretProviderClass manifest to mount (see -help)");
        }

        if (options.PodName.Length == 0)
        {
            throw new FlagException("missing flag -pod: the pod to mount for, as NAMESPACE/NAME (see -help)");
        }

        if (options.Socket is not null && inProcessOnly.Count > 0)
        {
            throw new FlagException($"flag -{inProcessOnly[0]} applies only to in-process mounts: the provider behind -socket uses its own");
        }

        return options;
    }

    private static (string Namespace, string Name) ParsePod(string value) =>
        value.Trim().Split('/') is [{ Length: > 0 } ns, { Length: > 0 } name]
            ? (ns, name)
            : throw new FlagException($"invalid value \"{value}\" for flag -pod: expected NAMESPACE/NAME, such as shop/app-7d9f8");

    private static string NonEmpty(string flag, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw new FlagException($"invalid value \"\" for flag -{flag}: must not be empty") : value.Trim();
}
