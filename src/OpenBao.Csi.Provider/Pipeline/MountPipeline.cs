using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.Fetching;
using OpenBao.Csi.Provider.Mounting;
using OpenBao.Csi.Provider.OpenBao;
using OpenBao.Csi.Provider.Rendering;
using OpenBao.Csi.Provider.Versioning;

namespace OpenBao.Csi.Provider.Pipeline;

/// <summary>
/// One Mount, stage by stage: parse → connect → authenticate → fetch → render → version.
/// All or nothing: any failure throws, because the driver keeps the old files on an error
/// but would write partial content.
/// </summary>
internal sealed class MountPipeline(
    OpenBaoDefaults defaults,
    OpenBaoClientFactory clients,
    OpenBaoAuthenticator authenticator,
    SecretFetcher fetcher,
    IVersionKeySource versionKeys,
    ILogger<MountPipeline> logger)
{
    public async Task<MountResult> MountAsync(MountAttributes attributes, string permission, CancellationToken cancellationToken)
    {
        var known = attributes.Parsed?.Configuration;
        var mount = MountRequestParser.Parse(attributes, permission);
        var (connection, authMount) = defaults.Apply(mount.OpenBao);
        var client = clients.Create(connection);
        // Said when the request is first read, not on every rotation poll repeating it, which would bury the rest
        // of the log; a new pod, or its next service-account token, is a new request and is warned about again.
        if (!ReferenceEquals(known, mount))
        {
            foreach (var warning in mount.Warnings)
            {
                Log.ConfigurationWarning(logger, mount.Pod.Namespace, mount.SecretProviderClass, warning);
            }
        }

        // The key first: failing after the reads would throw away freshly issued dynamic credentials.
        var gettingKey = versionKeys.GetKeyAsync(cancellationToken);
        // Known after the first mount: only a key still being fetched needs a task to wait on.
        var key = gettingKey.IsCompletedSuccessfully
            ? gettingKey.Result
            : await MountStepCancelledException.NameAsync(gettingKey.AsTask(), () => "getting the version key", cancellationToken).ConfigureAwait(false);
        FetchResult fetched;
        try
        {
            fetched = await fetcher.FetchAsync(authenticator.Open(client, authMount, mount), mount.Objects, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (defaults.Failover(mount.OpenBao) is { } failover && IsOutage(ex))
        {
            // Its own client and token: a token from one cluster means nothing to another.
            Log.FailingOver(logger, mount.Pod.Namespace, mount.Pod.Name, connection.Address.ToString(), failover.ToString(), ex.Message);
            var standIn = clients.Create(connection with { Address = failover });
            fetched = await fetcher.FetchAsync(authenticator.Open(standIn, authMount, mount), mount.Objects, cancellationToken).ConfigureAwait(false);
        }

        var files = SecretRenderer.RenderAll(fetched.Objects, fetched.Responses, mount.DefaultFileMode);
        if (files.Count == 0)
        {
            throw new NothingToMountException(mount.Objects);
        }

        var versions = new List<ObjectVersionEntry>(files.Count);
        foreach (var file in files)
        {
            versions.Add(new ObjectVersionEntry(file.Path, ObjectVersioner.Compute(key, file)));
        }

        return new MountResult(files, versions, mount, fetched.Reads, fetched.Reused);
    }

    /// <summary>
    /// The primary cannot serve (down, sealed, failing); refusals of the pod or its requests are not outages, and
    /// neither is a namespace an administrator sealed or locked there.
    /// </summary>
    private static bool IsOutage(Exception exception) => exception switch
    {
        OpenBaoUnavailableException => true,
        OpenBaoException { IsNamespaceClosed: true } => false,
        OpenBaoException { StatusCode: >= 500 } => true,
        LoginFailedException { Refusal: LoginRefusal.ServerError, OpenBaoError.StatusCode: >= 500 } => true,
        SecretFetchException { InnerException: { } cause } => IsOutage(cause),
        _ => false,
    };
}
