using System.Text.Json;
using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Fetching;

/// <summary>The response behind every object of a mount, and how many came from OpenBao rather than the lease cache.</summary>
/// <param name="Objects">The mount's objects with folders and version histories replaced by one object per file, in order.</param>
internal sealed record FetchResult(IReadOnlyDictionary<SecretObject, JsonElement> Responses, int Reads, int Reused, IReadOnlyList<SecretObject> Objects);
