using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.Internal;
using OpenBao.Csi.Provider.Mounting;
using OpenBao.Csi.Provider.OpenBao;
using OpenBao.Csi.Provider.Pipeline;
using OpenBao.Csi.Provider.Metrics;

namespace OpenBao.Csi.Provider.Fetching;

/// <summary>
/// Gets what a mount needs with one request per distinct (method, path, query, body), so a certificate
/// and its key, or a dynamic username and password, always come from the same response. A dynamic
/// secret is kept for its pod and served again on later polls while its lease can be kept alive, so a
/// rotation poll does not mint a new credential; concurrent identical requests share one read.
/// </summary>
internal sealed class SecretFetcher(LeaseCache leases, LeaseRenewer renewer, TimeProvider time, ProviderMetrics metrics, ILogger<SecretFetcher> logger)
{
    private readonly SingleFlight<(TokenCacheKey Token, SecretRequestKey Request, bool Reissue), Obtained> _reads = new();

    public async Task<FetchResult> FetchAsync(OpenBaoSession session, IReadOnlyList<SecretObject> objects, CancellationToken cancellationToken)
    {
        var (concrete, listed) = await ExpandAsync(session, objects, cancellationToken).ConfigureAwait(false);
        // Objects as listed were checked when parsed; only a listing can add a file.
        if (listed > 0)
        {
            FileLayout.CheckExpanded(concrete);
        }

        var groups = new List<(SecretRequestKey Request, List<SecretObject> Objects)>();
        var groupOf = new Dictionary<SecretRequestKey, int>();
        foreach (var secret in concrete)
        {
            // A template that only combines other objects reads nothing.
            if (secret.Reads)
            {
                var request = SecretRequestKey.For(secret);
                if (!groupOf.TryGetValue(request, out var index))
                {
                    groupOf[request] = index = groups.Count;
                    groups.Add((request, []));
                }

                groups[index].Objects.Add(secret);
            }
        }

        var reads = new Task<Obtained>[groups.Count];
        for (var i = 0; i < reads.Length; i++)
        {
            reads[i] = ObtainAsync(session, groups[i].Request, groups[i].Objects, cancellationToken);
        }

        // WhenAll rethrows the failure of the earliest read in list order, so errors name objects deterministically.
        await (reads.Length == 1 ? reads[0] : (Task)Task.WhenAll(reads)).ConfigureAwait(false);

        // Keyed by identity: every lookup is for an instance from this list, and a record's hash reads all its fields.
        var results = new Dictionary<SecretObject, JsonElement>(concrete.Count, ReferenceEqualityComparer.Instance);
        var reused = 0;
        for (var i = 0; i < reads.Length; i++)
        {
            var obtained = reads[i].Result;
            reused += obtained.Reused ? 1 : 0;
            foreach (var secret in groups[i].Objects)
            {
                results[secret] = obtained.Response;
            }
        }

        return new FetchResult(results, reads.Length - reused + listed, reused, concrete);
    }

    /// <summary>The objects with every folder and version history replaced by what it lists, and how many listings that took.</summary>
    private async Task<(IReadOnlyList<SecretObject> Objects, int Listings)> ExpandAsync(OpenBaoSession session, IReadOnlyList<SecretObject> objects, CancellationToken cancellationToken)
    {
        List<SecretObject> expanding = [];
        foreach (var secret in objects)
        {
            if (secret.Expands)
            {
                expanding.Add(secret);
            }
        }

        if (expanding.Count == 0)
        {
            return (objects, 0);
        }

        var listings = await Task.WhenAll(expanding.Select(o => ListAsync(session, o, cancellationToken))).ConfigureAwait(false);
        var children = expanding.Zip(listings).ToDictionary(pair => pair.First, pair => pair.Second);
        return ([.. objects.SelectMany(o => o.Expands ? children[o] : [o])], expanding.Count);
    }

    private async Task<IReadOnlyList<SecretObject>> ListAsync(OpenBaoSession session, SecretObject secret, CancellationToken cancellationToken)
    {
        try
        {
            var listing = await ObtainAsync(session, ObjectExpansion.Listing(secret), [secret], cancellationToken).ConfigureAwait(false);
            return ObjectExpansion.Children(secret, listing.Response, time.GetUtcNow());
        }
        catch (SecretFetchException ex) when (secret.Folder && ex.InnerException is OpenBaoException { StatusCode: 404, Errors.Count: 0 })
        {
            // OpenBao answers an empty folder with a bare 404: the folder has no files now. A 404 that says why
            // (no mount at that path, a KV v1 path on a KV v2 mount) is a wrong secretPath, not an empty folder.
            return [];
        }
    }

    private async Task<Obtained> ObtainAsync(OpenBaoSession session, SecretRequestKey request, IReadOnlyList<SecretObject> group, CancellationToken cancellationToken)
    {
        // Objects sharing a request share its policy: one asking for a new credential each poll gets it for all.
        var reissue = !session.KeepsState || group.Any(secret => secret.LeasePolicy == LeasePolicy.Reissue);
        try
        {
            // Shared work runs detached from this mount: a credential issued after the caller gave up is kept for the next poll.
            return await _reads.RunAsync(
                (session.Key, request, reissue),
                () => reissue ? ReadAsync(session, request, keep: false) : ReuseOrReadAsync(session, request),
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (MountStepCancelledException.StopsUnnamed(ex, cancellationToken))
        {
            throw new MountStepCancelledException(session.HasToken ? $"reading {request} at {session.Key.Address}" : session.DescribeLogin(), ex);
        }
        catch (OpenBaoCallException ex)
        {
            throw new SecretFetchException([.. group.Select(s => s.ObjectName)], request, ex);
        }
    }

    private async Task<Obtained> ReuseOrReadAsync(OpenBaoSession session, SecretRequestKey request)
    {
        var token = await session.GetTokenAsync(CancellationToken.None).ConfigureAwait(false);
        var kept = leases.Find(token, request);
        if (kept is not null)
        {
            var state = renewer.Assess(kept);
            if (state == SecretState.Fresh
                || (state == SecretState.RenewalDue && await renewer.RenewAsync(kept, CancellationToken.None).ConfigureAwait(false)))
            {
                metrics.LeaseLookup(hit: true);
                return new Obtained(kept.Response, Reused: true);
            }

            metrics.Lease(LeaseOutcome.Reissued);
        }

        metrics.LeaseLookup(hit: false);
        try
        {
            return await ReadAsync(session, request, keep: true, token).ConfigureAwait(false);
        }
        catch (OpenBaoCallException ex) when (kept is not null && kept.MayStandIn(time.GetUtcNow()))
        {
            Log.ReissueFailedKeptCurrent(logger, request.ToString(), session.Key.PodNamespace, session.Key.PodName, ex.Message);
            return new Obtained(kept.Response, Reused: true);
        }
    }

    private async Task<Obtained> ReadAsync(OpenBaoSession session, SecretRequestKey request, bool keep, CachedToken? current = null)
    {
        // Parsed, GET is the handler's own instance, which it recognises without comparing text.
        var message = new OpenBaoRequest(HttpMethod.Parse(request.Method), request.Path, request.Query, request.Body);
        var (response, token) = await session.SendAsync(message, current, CancellationToken.None).ConfigureAwait(false);
        // OpenBao's warnings (a capped TTL, a deprecated path) say something the operator should see.
        if (response.ValueKind == JsonValueKind.Object && response.TryGetProperty("warnings", out var warnings)
            && warnings.ValueKind == JsonValueKind.Array && warnings.GetArrayLength() > 0)
        {
            Log.OpenBaoWarnings(logger, request.ToString(), string.Join("; ", warnings.EnumerateArray().Select(w => w.ToString())));
        }

        if (keep)
        {
            if (CachedSecret.TryCreate(token, request, response, time.GetUtcNow()) is { } secret)
            {
                leases.Store(secret);
            }
            else
            {
                leases.Forget(session.Key, request);
            }
        }

        return new Obtained(response, Reused: false);
    }

    private readonly record struct Obtained(JsonElement Response, bool Reused);
}
