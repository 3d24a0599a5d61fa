using System.Text.Json;
using OpenBao.Emulator.Internal.Http;

namespace OpenBao.Emulator.Internal.Engines;

/// <summary>
/// A versioned K/V mount. Reads go through <c>data/</c>; seeding, soft deletes and destroys come
/// from the test through the emulator's API rather than HTTP.
/// </summary>
internal sealed class KvV2Backend(TimeProvider time) : IBackend
{
    private static readonly string[] VersionedRoots = ["data", "metadata", "delete", "undelete", "destroy", "subkeys", "config"];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<KvVersion>> _secrets = new(StringComparer.Ordinal);

    public int Put(string path, JsonElement data)
    {
        lock (_gate)
        {
            if (!_secrets.TryGetValue(path, out var versions))
            {
                versions = [];
                _secrets[path] = versions;
            }

            versions.Add(new KvVersion(versions.Count + 1, data, time.GetUtcNow()));
            return versions.Count;
        }
    }

    public void SoftDelete(string path, int version)
    {
        lock (_gate)
        {
            Version(path, version).DeletionTime = time.GetUtcNow();
        }
    }

    public void Destroy(string path, int version)
    {
        lock (_gate)
        {
            Version(path, version).Data = null;
        }
    }

    public ApiResult Handle(ApiRequest request, string path)
    {
        var root = path.Split('/')[0];
        if (path.StartsWith("data/", StringComparison.Ordinal) && request.Operation == Operation.Read)
        {
            return Read(request, path["data/".Length..]);
        }

        if (path.Length > root.Length && VersionedRoots.Contains(root))
        {
            return ApiResult.UnsupportedOperation();
        }

        var warning = VersionedRoots.Contains(path)
            ? "Non-listing operations on the root of a K/V v2 mount are not supported."
            : $"Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the OpenBao CLI, use 'bao kv {CliVerb(request.Operation)}' for this operation.";
        return new EnvelopeResult(404) { Warnings = [warning] };
    }

    private static string CliVerb(Operation operation) => operation switch
    {
        Operation.Read => "get",
        Operation.Update => "put",
        Operation.Patch => "patch",
        Operation.List => "list",
        _ => "delete",
    };

    private ApiResult Read(ApiRequest request, string path)
    {
        if (!request.Fields.TryGetInt("version", out var requested, out var fieldError))
        {
            return ApiResult.BadRequest(fieldError!);
        }

        Dictionary<string, object?> metadata;
        JsonElement? data;
        bool hidden;
        lock (_gate)
        {
            if (!_secrets.TryGetValue(path, out var versions))
            {
                return ApiResult.NotFound();
            }

            var number = requested > 0 ? requested : versions.Count;
            if (number > versions.Count)
            {
                return ApiResult.NotFound();
            }

            var version = versions[number - 1];
            metadata = new Dictionary<string, object?>
            {
                ["created_time"] = version.CreatedTime,
                ["custom_metadata"] = null,
                ["deletion_time"] = version.DeletionTime is { } deleted ? deleted : "",
                ["destroyed"] = version.Destroyed,
                ["version"] = number,
            };

            // A deletion time at or before now counts; the fake clock may not have moved since.
            hidden = version.Destroyed || version.DeletionTime <= time.GetUtcNow();
            data = version.Data;
        }

        return new EnvelopeResult(hidden ? 404 : 200)
        {
            Data = new Dictionary<string, object?> { ["data"] = hidden ? null : data, ["metadata"] = metadata },
        };
    }

    private KvVersion Version(string path, int version) =>
        _secrets.TryGetValue(path, out var versions) && version >= 1 && version <= versions.Count
            ? versions[version - 1]
            : throw new InvalidOperationException($"Secret \"{path}\" has no version {version}.");
}
