using System.Text.Json.Serialization;

namespace OpenBao.Csi.Provider.OpenBao;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(LoginResponse))]
[JsonSerializable(typeof(RenewSelfRequest))]
[JsonSerializable(typeof(RenewLeaseRequest))]
[JsonSerializable(typeof(RenewLeaseResponse))]
internal sealed partial class OpenBaoJsonContext : JsonSerializerContext;
