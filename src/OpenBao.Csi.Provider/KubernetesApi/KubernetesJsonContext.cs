using System.Text.Json.Serialization;

namespace OpenBao.Csi.Provider.KubernetesApi;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KubernetesStatus))]
[JsonSerializable(typeof(KubernetesObject))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(TokenRequestResult))]
[JsonSerializable(typeof(Secret))]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(PodList))]
[JsonSerializable(typeof(CoreEvent))]
internal sealed partial class KubernetesJsonContext : JsonSerializerContext;
