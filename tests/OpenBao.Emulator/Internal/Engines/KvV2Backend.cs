using System.Globalization;
using System.Text.Json;
using OpenBao.Emulator.Internal.Formatting;
using OpenBao.Emulator.Internal.Http;

namespace OpenBao.Emulator.Internal.Engines;

/// <summary>
/// A versioned K/V mount: reads of <c>data/</c>, soft deletes, undeletes and destroys, and
/// <c>metadata/</c> reads, lists and deletes, answered as OpenBao's KV v2 plugin does. Writes come
/// from the test through the emulator's API rather than HTTP.
/// </summary>
internal sealed class KvV2Backend(TimeProvider time) : IBackend
{
    private static readonly string[] VersionedRoots = ["data", "metadata", "delete", "undelete", "destroy", "subkeys", "config"];

    /// <summary>The bare roots OpenBao's catch-all path answers with its "root of a K/V v2 mount" warning.</summary>
    private static readonly string[] ListableRoots = ["data", "metadata", "delete", "undelete", "destroy"];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, KvSecret> _secrets = new(StringComparer.Ordinal);

    public int Put(string path, JsonElement data)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            return SecretAt(path, now).Add(data, now);
        }
    }

    /// <summary>
    /// Seeding twin of <c>POST metadata/</c> with <c>delete_version_after</c>: versions written from now on get a
    /// deletion time that far ahead and read as deleted once it passes. A key without versions yet is created.
    /// </summary>
    public void SetDeleteVersionAfter(string path, TimeSpan after)
    {
        lock (_gate)
        {
            SecretAt(path, time.GetUtcNow()).DeleteVersionAfter = after;
        }
    }

    /// <summary>The key at <paramref name="path"/>, created without versions when missing; call under the lock.</summary>
    private KvSecret SecretAt(string path, DateTimeOffset now)
    {
        if (!_secrets.TryGetValue(path, out var secret))
        {
            secret = new KvSecret(now);
            _secrets[path] = secret;
        }

        return secret;
    }

    /// <summary>Seeding twin of <c>delete/</c>; throws unless every version is still kept, so a typo fails the test.</summary>
    public void SoftDelete(string path, IReadOnlyList<int> versions) => ChangeKept(path, versions, MarkDeleted);

    /// <summary>Seeding twin of <c>destroy/</c>; throws unless every version is still kept.</summary>
    public void Destroy(string path, IReadOnlyList<int> versions) => ChangeKept(path, versions, MarkDestroyed);

    /// <summary>Seeding twin of <c>DELETE metadata/</c>: the key, every version and its place in lists go.</summary>
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

    public ApiResult Handle(ApiRequest request, string path)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return NotVersionedPath(request.Operation, path);
        }

        var root = path[..slash];
        var key = path[(slash + 1)..];
        return (root, request.Operation) switch
        {
            ("data", Operation.Read) => Read(request, key),
            ("data", Operation.Delete) => DeleteLatest(key),
            ("metadata", Operation.Read) => ReadMetadata(key),
            ("metadata", Operation.List) => List(request, key),
            ("metadata", Operation.Delete) => DeleteMetadata(key),

            // OpenBao's own messages, capital letter and all: delete/undelete and destroy differ.
            ("delete", Operation.Update) => ChangeVersions(request, key, "No version number provided", MarkDeleted),
            ("undelete", Operation.Update) => ChangeVersions(request, key, "No version number provided", Restore),
            ("destroy", Operation.Update) => ChangeVersions(request, key, "no version number provided", MarkDestroyed),
            _ when VersionedRoots.Contains(root) => ApiResult.UnsupportedOperation(),
            _ => NotVersionedPath(request.Operation, path),
        };
    }

    private static ApiResult NotVersionedPath(Operation operation, string path)
    {
        var warning = ListableRoots.Contains(path)
            ? "Non-listing operations on the root of a K/V v2 mount are not supported."
            : $"Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the OpenBao CLI, use 'bao kv {CliVerb(operation)}' for this operation.";
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

    /// <summary>Skips a version already deleted or destroyed, as OpenBao does, so the first deletion time stays.</summary>
    private static void MarkDeleted(KvVersion version, DateTimeOffset now)
    {
        if (!version.Destroyed && !version.IsDeleted(now))
        {
            version.DeletionTime = now;
        }
    }

    /// <summary>A destroyed version stays destroyed; undelete cannot bring data back.</summary>
    private static void Restore(KvVersion version, DateTimeOffset now)
    {
        if (!version.Destroyed)
        {
            version.DeletionTime = null;
        }
    }

    /// <summary>A deletion time survives destruction, as in OpenBao's version metadata.</summary>
    private static void MarkDestroyed(KvVersion version, DateTimeOffset now) => version.Data = null;

    private static object DeletionTimeOf(KvVersion version) => version.DeletionTime is { } deleted ? deleted : "";

    /// <summary>
    /// The emulator has no metadata writes over HTTP, so the settings are what OpenBao reports for a key written
    /// through <c>data/</c>: no CAS, no custom metadata, no per-key <c>max_versions</c>, the seeded
    /// <c>delete_version_after</c>, and <c>current_metadata_version</c> 0 (it counts metadata writes; OpenBao 2.4+).
    /// </summary>
    private static Dictionary<string, object?> MetadataOf(KvSecret secret) => new()
    {
        ["cas_required"] = false,
        ["created_time"] = secret.CreatedTime,
        ["current_metadata_version"] = 0,
        ["current_version"] = secret.CurrentVersion,
        ["custom_metadata"] = null,
        ["delete_version_after"] = GoDuration.Format(secret.DeleteVersionAfter),
        ["max_versions"] = 0,
        ["metadata_cas_required"] = false,
        ["oldest_version"] = secret.OldestVersion,
        ["updated_time"] = secret.UpdatedTime,
        ["versions"] = secret.Versions.ToDictionary(
            pair => pair.Key.ToString(CultureInfo.InvariantCulture),
            pair => (object?)new Dictionary<string, object?>
            {
                ["created_time"] = pair.Value.CreatedTime,
                ["deletion_time"] = DeletionTimeOf(pair.Value),
                ["destroyed"] = pair.Value.Destroyed,
            }),
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
            if (!_secrets.TryGetValue(path, out var secret))
            {
                return ApiResult.NotFound();
            }

            var number = requested > 0 ? requested : secret.CurrentVersion;
            if (!secret.Versions.TryGetValue(number, out var version))
            {
                return ApiResult.NotFound();
            }

            metadata = new Dictionary<string, object?>
            {
                ["created_time"] = version.CreatedTime,
                ["custom_metadata"] = null,
                ["deletion_time"] = DeletionTimeOf(version),
                ["destroyed"] = version.Destroyed,
                ["version"] = number,
            };
            hidden = version.Destroyed || version.IsDeleted(time.GetUtcNow());
            data = version.Data;
        }

        return new EnvelopeResult(hidden ? 404 : 200)
        {
            Data = new Dictionary<string, object?> { ["data"] = hidden ? null : data, ["metadata"] = metadata },
        };
    }

    /// <summary>Soft-deletes the latest version; a missing key or an already deleted version is still 204.</summary>
    private ApiResult DeleteLatest(string path)
    {
        lock (_gate)
        {
            if (_secrets.TryGetValue(path, out var secret) && secret.Versions.TryGetValue(secret.CurrentVersion, out var latest))
            {
                MarkDeleted(latest, time.GetUtcNow());
            }
        }

        return ApiResult.NoContent;
    }

    /// <summary>Versions that do not exist (or were trimmed) are skipped, and a missing key is no error.</summary>
    private ApiResult ChangeVersions(ApiRequest request, string path, string noVersionsMessage, Action<KvVersion, DateTimeOffset> change)
    {
        if (!request.Fields.TryGetIntList("versions", out var versions, out var fieldError))
        {
            return ApiResult.BadRequest(fieldError!);
        }

        if (versions.Count == 0)
        {
            return ApiResult.BadRequest(noVersionsMessage);
        }

        lock (_gate)
        {
            if (_secrets.TryGetValue(path, out var secret))
            {
                var now = time.GetUtcNow();
                foreach (var number in versions)
                {
                    if (secret.Versions.TryGetValue(number, out var version))
                    {
                        change(version, now);
                    }
                }
            }
        }

        return ApiResult.NoContent;
    }

    private ApiResult ReadMetadata(string path)
    {
        Dictionary<string, object?> data;
        lock (_gate)
        {
            if (!_secrets.TryGetValue(path, out var secret))
            {
                return ApiResult.NotFound();
            }

            data = MetadataOf(secret);
        }

        return new EnvelopeResult { Data = data };
    }

    /// <summary>
    /// Every key with metadata is listed, however deleted or destroyed its versions; <c>after</c> (exclusive)
    /// and <c>limit</c> page through the sorted keys as OpenBao's <c>ListPage</c> does.
    /// </summary>
    private ApiResult List(ApiRequest request, string folder)
    {
        if (!request.Fields.TryGetInt("limit", out var limit, out var fieldError))
        {
            return ApiResult.BadRequest(fieldError!);
        }

        var after = request.Fields.GetString("after");
        List<string> children;
        lock (_gate)
        {
            children = FolderListing.Children(_secrets.Keys, folder);
        }

        // Every child is non-empty, so an empty "after" keeps them all.
        IEnumerable<string> page = children.Where(child => string.CompareOrdinal(child, after) > 0);
        if (limit > 0)
        {
            page = page.Take(limit);
        }

        return FolderListing.ToResult([.. page]);
    }

    private ApiResult DeleteMetadata(string path)
    {
        lock (_gate)
        {
            _secrets.Remove(path);
        }

        return ApiResult.NoContent;
    }

    private void ChangeKept(string path, IReadOnlyList<int> versions, Action<KvVersion, DateTimeOffset> change)
    {
        lock (_gate)
        {
            if (!_secrets.TryGetValue(path, out var secret))
            {
                throw new InvalidOperationException($"Secret \"{path}\" does not exist.");
            }

            // Check them all first, so a bad number changes nothing.
            var kept = versions.Select(number => secret.Versions.TryGetValue(number, out var version)
                ? version
                : throw new InvalidOperationException($"Secret \"{path}\" has no version {number}.")).ToList();
            var now = time.GetUtcNow();
            foreach (var version in kept)
            {
                change(version, now);
            }
        }
    }
}
