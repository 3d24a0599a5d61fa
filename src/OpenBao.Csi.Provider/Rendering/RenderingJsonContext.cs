using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenBao.Csi.Provider.Rendering;

[JsonSerializable(typeof(JsonElement))]
internal sealed partial class RenderingJsonContext : JsonSerializerContext;
