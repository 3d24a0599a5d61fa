using System.Text.Json.Serialization;

namespace OpenBao.Csi.Provider.OpenBao;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(LoginResponse))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class OpenBaoJsonContext : JsonSerializerContext;

internal sealed record LoginRequest(string Role, string Jwt);

internal sealed record LoginResponse(LoginAuth? Auth);

internal sealed record LoginAuth(string ClientToken, long LeaseDuration, bool Renewable);

internal sealed record ErrorResponse(IReadOnlyList<string>? Errors);
