using System.Text.Json;
using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Fetching;

/// <summary>The response behind every object of a mount, and how many came from OpenBao rather than the lease cache.</summary>
internal sealed record FetchResult(IReadOnlyDictionary<SecretObject, JsonElement> Responses, int Reads, int Reused);
