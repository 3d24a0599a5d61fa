using System.Runtime.InteropServices;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.Hosting;
using OpenBao.Csi.Provider.KubernetesApi;
using OpenBao.Csi.Provider.OpenBao;
using OpenBao.Csi.Provider.Versioning;
using YamlDotNet.Core;

namespace OpenBao.Csi.Provider.Shell;

/// <summary>
/// <c>openbao-csi-provider mount -f SPC.yaml -pod NAMESPACE/NAME</c>: plays the CSI driver for one pod, for an
/// admin on a node or a developer on a laptop. Sends the request the driver would send, to a running provider
/// or to the pipeline in this process, prints a table of the objects (never their contents), optionally writes
/// the files as the driver does and keeps polling as its rotation does. Exit 1 when the mount fails, 2 for bad
/// usage, 0 when a watch is stopped by SIGINT or SIGTERM.
/// </summary>
internal static class MountCommand
{
    public const string Name = "mount";

    /// <summary>Exit code when interrupted before the first mount finished, as shells report SIGINT.</summary>
    private const int Interrupted = 130;

    /// <summary>From the process: the console, the environment, the clock, and Ctrl-C or SIGTERM to stop.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stop.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        return await RunAsync(args, Console.In, Console.Out, Console.Error, Environment.GetEnvironmentVariable, TimeProvider.System, stop.Token).ConfigureAwait(false);
    }

    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, TextReader input, TextWriter output, TextWriter errors, Func<string, string?> environment, TimeProvider time, CancellationToken stop)
    {
        MountOptions? options;
        try
        {
            options = MountCommandLine.Parse(args, environment);
        }
        catch (FlagException ex)
        {
            await errors.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 2;
        }

        if (options is null)
        {
            await output.WriteLineAsync(MountCommandLine.Usage).ConfigureAwait(false);
            return 0;
        }

        try
        {
            var manifest = ReadManifest(options.ManifestPath, input, options.PodNamespace);
            var kubernetes = KubernetesConnection.Connect(options.Server.Kubeconfig, null, environment);
            var audience = options.Audience ?? Audience(manifest) ?? options.Server.DefaultAudience;
            // The token passed is the one an in-process pipeline must pick when the SecretProviderClass names no audience.
            options.Server.DefaultAudience = audience;
            var (pod, tokens) = await PodAndTokenAsync(options, kubernetes, audience, time, stop).ConfigureAwait(false);
            await using var transport = options.Socket is { } socket
                ? new SocketMountTransport(socket)
                : (IMountTransport)InProcessMountTransport.Create(options.Server, kubernetes, time);
            var target = options.TargetDirectory is { } directory ? new TargetDirectoryWriter(Path.GetFullPath(directory), time) : null;
            var targetPath = target?.Directory ?? DriverMountRequest.KubeletTargetPath(pod.Uid);
            var session = new MountSession(
                transport,
                async cancellationToken => DriverMountRequest.Build(manifest, pod, await tokens.GetAsync(cancellationToken).ConfigureAwait(false), targetPath),
                target,
                output,
                errors,
                time);

            if (!await session.MountOnceAsync(stop).ConfigureAwait(false))
            {
                return 1;
            }

            if (options.WatchInterval is { } interval)
            {
                await session.WatchAsync(interval, stop).ConfigureAwait(false);
            }

            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return Interrupted;
        }
        catch (MountSetupException ex)
        {
            await errors.WriteLineAsync($"mount: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (Exception ex) when (ex is KubernetesConfigurationException or VersionKeyException or OpenBaoTlsException)
        {
            await errors.WriteLineAsync($"mount: {StartFailure.Describe(ex, options.Server)}").ConfigureAwait(false);
            return 1;
        }
    }

    private static SecretProviderClassManifest ReadManifest(string path, TextReader input, string podNamespace)
    {
        var name = path == "-" ? "stdin" : path;
        IReadOnlyList<SecretProviderClassManifest> classes;
        try
        {
            classes = SecretProviderClassManifest.ReadAll(path, input);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or YamlException)
        {
            throw new MountSetupException($"{name} {SecretProviderClassManifest.DescribeReadFailure(ex)}", ex);
        }

        var manifest = classes switch
        {
            [] => throw new MountSetupException($"{name} holds no {SecretProviderClassManifest.Kind}"),
            [var one] => one,
            _ => throw new MountSetupException(
                $"{name} holds {classes.Count} SecretProviderClasses ({string.Join(", ", classes.Select(c => c.DisplayName))}): give -f a file with the one to mount"),
        };
        var label = $"{name}: {manifest.Label}";
        if (!manifest.IsForThisProvider)
        {
            throw new MountSetupException(
                $"{label} is for provider '{manifest.Provider}': the driver sends its mounts to that provider, not to {SecretProviderClassManifest.ProviderNamesText}");
        }

        // The driver looks the class up in the pod's namespace: one from another namespace is never used for this pod.
        if (manifest.Namespace is { } ns && ns != podNamespace)
        {
            throw new MountSetupException($"{label} is in namespace {ns}, but the pod is in {podNamespace}: the driver only uses classes in the pod's namespace");
        }

        return manifest.Problems.Count == 0
            ? manifest
            : throw new MountSetupException($"{label}: {string.Join("; ", manifest.Problems)}");
    }

    private static string? Audience(SecretProviderClassManifest manifest) =>
        manifest.Parameters.TryGetValue(Mounting.AttributeKeys.Audience, out var audience) && !string.IsNullOrWhiteSpace(audience) ? audience.Trim() : null;

    /// <summary>
    /// The service account the token was issued for, when the command line does not say: login errors name it. Its pod
    /// UID is not taken: a pod of another node would hold a running provider's token until its next relist, while a
    /// mount without a UID is released once idle (and keyed by its JWT, so no other run's token answers it).
    /// </summary>
    private static MountPod FromToken(MountPod pod, MountOptions options, string tokenFile)
    {
        if (options.ServiceAccount is not null)
        {
            return pod;
        }

        string jwt;
        try
        {
            jwt = File.ReadAllText(tokenFile).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Each poll reads the file again and reports what is wrong with it.
            jwt = string.Empty;
        }

        return UnverifiedJwt.ServiceAccount(jwt) is { } serviceAccount ? pod with { ServiceAccount = serviceAccount } : pod;
    }

    private static async Task<(MountPod Pod, PodTokenSource Tokens)> PodAndTokenAsync(
        MountOptions options, KubernetesConnection.Result kubernetes, string audience, TimeProvider time, CancellationToken cancellationToken)
    {
        var pod = new MountPod(options.PodNamespace, options.PodName, options.PodUid, options.ServiceAccount ?? MountOptions.DefaultServiceAccount);
        if (options.TokenFile is { } file)
        {
            return (FromToken(pod, options, file), PodTokenSource.FromFile(file, audience));
        }

        if (kubernetes.Client is not { } client)
        {
            throw new MountSetupException($"no -token-file, and no Kubernetes API to request a token for the pod: {kubernetes.Description}");
        }

        if (options.PodUid is null || options.ServiceAccount is null)
        {
            pod = await PodLookup.CompleteAsync(client, pod, serviceAccountGiven: options.ServiceAccount is not null, cancellationToken).ConfigureAwait(false);
        }

        return (pod, PodTokenSource.FromTokenRequest(new KubernetesTokenRequester(client), pod, audience, time));
    }
}
