using System.Text.Json.Serialization;

namespace OpenBao.Csi.Provider.OpenBao;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(LoginResponse))]
internal sealed partial class OpenBaoJsonContext : JsonSerializerContext;
