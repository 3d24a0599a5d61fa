using System.Text.Json;
using OpenBao.Emulator.Internal.Formatting;
using OpenBao.Emulator.Internal.Http;

namespace OpenBao.Emulator.Internal.Engines;

/// <summary>
/// An unversioned K/V mount: reads, folder lists and deletes. A read reports the mount's default TTL
/// (or the secret's own <c>ttl</c>/<c>lease</c> key) as a duration with no lease behind it.
/// </summary>
internal sealed class KvV1Backend(TimeSpan defaultLeaseTtl) : IBackend
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonElement> _secrets = new(StringComparer.Ordinal);

    public void Put(string path, JsonElement data)
    {
        lock (_gate)
        {
            _secrets[path] = data;
        }
    }

    /// <summary>Seeding twin of <c>DELETE</c>; throws when there is nothing to remove, so a typo fails the test.</summary>
    public void Remove(string path)
    {
        lock (_gate)
        {
            if (!_secrets.Remove(path))
            {
                throw new InvalidOperationException($"Secret \"{path}\" does not exist.");
            }
        }
    }

    public ApiResult Handle(ApiRequest request, string path) => request.Operation switch
    {
        Operation.Read => Read(path),
        Operation.List => List(path),
        Operation.Delete => Delete(path),
        _ => ApiResult.UnsupportedOperation(),
    };

    /// <summary>A list answer carries no lease duration: OpenBao only gives reads the mount's TTL.</summary>
    private ApiResult List(string folder)
    {
        List<string> children;
        lock (_gate)
        {
            children = FolderListing.Children(_secrets.Keys, folder);
        }

        return FolderListing.ToResult(children);
    }

    /// <summary>Deleting what is not there is still 204, as in OpenBao.</summary>
    private ApiResult Delete(string path)
    {
        lock (_gate)
        {
            _secrets.Remove(path);
        }

        return ApiResult.NoContent;
    }

    private ApiResult Read(string path)
    {
        JsonElement data;
        lock (_gate)
        {
            if (!_secrets.TryGetValue(path, out data))
            {
                return ApiResult.NotFound();
            }
        }

        return new EnvelopeResult { LeaseDuration = (long)LeaseTtl(data).TotalSeconds, Data = ToMap(data) };
    }

    private TimeSpan LeaseTtl(JsonElement data)
    {
        foreach (var key in (string[])["ttl", "lease"])
        {
            if (data.TryGetProperty(key, out var value))
            {
                return value.ValueKind switch
                {
                    JsonValueKind.Number when value.TryGetInt64(out var seconds) => TimeSpan.FromSeconds(seconds),
                    JsonValueKind.String when GoDuration.TryParse(value.GetString()!, out var parsed) => parsed,
                    _ => defaultLeaseTtl,
                };
            }
        }

        return defaultLeaseTtl;
    }

    private static Dictionary<string, object?> ToMap(JsonElement data) =>
        data.EnumerateObject().ToDictionary(property => property.Name, property => (object?)property.Value, StringComparer.Ordinal);
}
