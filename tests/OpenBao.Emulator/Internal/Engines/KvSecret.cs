using System.Text.Json;

namespace OpenBao.Emulator.Internal.Engines;

/// <summary>
/// A KV v2 key: its metadata and the versions still kept, as OpenBao's <c>KeyMetadata</c> holds them.
/// Version numbers only grow; the oldest fall out of <see cref="Versions"/> past <c>max_versions</c>.
/// </summary>
internal sealed class KvSecret(DateTimeOffset createdTime)
{
    /// <summary>OpenBao's <c>max_versions</c> when neither the mount nor the key sets one.</summary>
    public const int DefaultMaxVersions = 10;

    public DateTimeOffset CreatedTime { get; } = createdTime;

    /// <summary>When the newest version was written; deletes and destroys leave it alone, as in OpenBao.</summary>
    public DateTimeOffset UpdatedTime { get; private set; } = createdTime;

    public int CurrentVersion { get; private set; }

    /// <summary>0 until the first version is trimmed, then the oldest number kept (OpenBao's <c>oldest_version</c>).</summary>
    public int OldestVersion { get; private set; }

    public SortedDictionary<int, KvVersion> Versions { get; } = [];

    /// <summary>The key's <c>delete_version_after</c>: zero for never, else how long each version written from now on is served.</summary>
    public TimeSpan DeleteVersionAfter { get; set; }

    /// <returns>The new version number.</returns>
    public int Add(JsonElement data, DateTimeOffset now)
    {
        CurrentVersion++;
        Versions[CurrentVersion] = new KvVersion(data, now) { DeletionTime = DeleteVersionAfter > TimeSpan.Zero ? now + DeleteVersionAfter : null };
        UpdatedTime = now;

        // OpenBao's sliding window: once the span reaches the limit, everything up to
        // CurrentVersion - max goes, so the 10th write already moves oldest_version to 1.
        if (CurrentVersion - OldestVersion >= DefaultMaxVersions)
        {
            var lastToDrop = CurrentVersion - DefaultMaxVersions;
            for (var number = OldestVersion; number <= lastToDrop; number++)
            {
                Versions.Remove(number);
            }

            OldestVersion = lastToDrop + 1;
        }

        return CurrentVersion;
    }
}
