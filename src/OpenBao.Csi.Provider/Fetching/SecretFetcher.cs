using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.Mounting;
using OpenBao.Csi.Provider.OpenBao;

namespace OpenBao.Csi.Provider.Fetching;

/// <summary>
/// Reads what a mount needs with one request per distinct (method, path, query, body): a certificate
/// and its key, or a dynamic username and password, always come from the same response.
/// </summary>
internal static class SecretFetcher
{
    public static async Task<IReadOnlyDictionary<SecretObject, JsonElement>> FetchAsync(
        OpenBaoSession session,
        IReadOnlyList<SecretObject> objects,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var groups = objects.GroupBy(SecretRequestKey.For).ToList();
        var reads = groups.Select(group => ReadAsync(session, group, logger, cancellationToken)).ToList();
        // WhenAll rethrows the failure of the earliest read in list order, so errors name objects deterministically.
        await Task.WhenAll(reads).ConfigureAwait(false);

        var results = new Dictionary<SecretObject, JsonElement>();
        foreach (var (group, read) in groups.Zip(reads))
        {
            foreach (var secret in group)
            {
                results[secret] = read.Result;
            }
        }

        return results;
    }

    private static async Task<JsonElement> ReadAsync(
        OpenBaoSession session,
        IGrouping<SecretRequestKey, SecretObject> group,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var key = group.Key;
        var request = new OpenBaoRequest(new HttpMethod(key.Method), key.Path, key.Query, key.Body);
        try
        {
            var response = await session.SendAsync(request, cancellationToken).ConfigureAwait(false);
            // OpenBao's warnings (a capped TTL, a deprecated path) say something the operator should see.
            if (response.ValueKind == JsonValueKind.Object && response.TryGetProperty("warnings", out var warnings)
                && warnings.ValueKind == JsonValueKind.Array && warnings.GetArrayLength() > 0)
            {
                Log.OpenBaoWarnings(logger, key.ToString(), string.Join("; ", warnings.EnumerateArray().Select(w => w.ToString())));
            }

            return response;
        }
        catch (Exception ex) when (ex is OpenBaoException or OpenBaoUnavailableException)
        {
            throw new SecretFetchException([.. group.Select(s => s.ObjectName)], key, ex);
        }
    }
}
