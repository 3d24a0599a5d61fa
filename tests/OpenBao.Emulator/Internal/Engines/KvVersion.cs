using System.Text.Json;

namespace OpenBao.Emulator.Internal.Engines;

/// <summary>One version of a KV v2 secret.</summary>
internal sealed class KvVersion(JsonElement data, DateTimeOffset createdTime)
{
    public DateTimeOffset CreatedTime { get; } = createdTime;

    /// <summary>Null once destroyed: the data is gone for good.</summary>
    public JsonElement? Data { get; set; } = data;

    public DateTimeOffset? DeletionTime { get; set; }

    public bool Destroyed => Data is null;

    /// <summary>A deletion time at or before now counts; the fake clock may not have moved since.</summary>
    public bool IsDeleted(DateTimeOffset now) => DeletionTime <= now;
}
