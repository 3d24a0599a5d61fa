using System.Net;
using System.Text.Json;
using CsCheck;
using Grpc.Core;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.Fetching;
using OpenBao.Csi.Provider.Grpc;
using OpenBao.Csi.Provider.Mounting;
using OpenBao.Csi.Provider.OpenBao;
using OpenBao.Csi.Provider.Rendering;
using OpenBao.Csi.Provider.Tests.Mounting;

namespace OpenBao.Csi.Provider.Tests.Properties;

/// <summary>
/// Random and mutated input at every place the outside world reaches the provider. Whatever comes in,
/// the answer is a precise status: never a crash, never Internal or Unknown (which mean "a bug here").
/// </summary>
public sealed class HostileInputTests
{
    private static readonly string[] AttributeKeys =
    [
        "roleName", "objects", "audience", "baoAddress", "vaultAddress", "baoNamespace", "baoAuthMountPath", "baoKubernetesMountPath",
        "baoSkipTLSVerify", "baoFailoverAddress", "baoCACertPath", "csi.storage.k8s.io/serviceAccount.tokens", "csi.storage.k8s.io/pod.name",
        "csi.storage.k8s.io/pod.namespace", "csi.storage.k8s.io/pod.uid", "csi.storage.k8s.io/serviceAccount.name", "secretProviderClass", "",
    ];

    private static readonly string[] Permissions = ["420", "0644", "", "-1", "99999999999999", "abc", "0x1A4", "4 20", "٤٢٠"];

    private static readonly Gen<string> AttributeValue = Gen.Frequency(
        (3, HostileGen.YamlSoup.Select(Quote)),
        (3, HostileGen.Mutated(Attributes.TwoObjects).Select(Quote)),
        (2, HostileGen.Json(3)),
        (1, HostileGen.Json(3).Select(Quote)),
        (1, HostileGen.DeepJson));

    /// <summary>Valid attributes with some keys given hostile values (any JSON type), or dropped.</summary>
    private static readonly Gen<string> AttributesJson = Gen.Frequency(
        (8, Gen.Select(Gen.OneOf(AttributeKeys), AttributeValue, Gen.Bool).Array[1, 5].Select(edits =>
        {
            var members = JsonSerializer.Deserialize<Dictionary<string, string>>(Attributes.Valid())!
                .ToDictionary(pair => pair.Key, pair => Quote(pair.Value));
            foreach (var (key, value, drop) in edits)
            {
                if (drop)
                {
                    members.Remove(key);
                }
                else
                {
                    members[key] = value;
                }
            }

            return "{" + string.Join(",", members.Select(m => $"{Quote(m.Key)}:{m.Value}")) + "}";
        })),
        (1, HostileGen.Json(4)),
        (1, HostileGen.DeepJson),
        (1, HostileGen.Mutated(Attributes.Valid())));

    private static readonly SecretObject[] Renderings =
    [
        new("whole", "secret/data/app", null, null, "GET", null, SecretEncoding.Utf8, null),
        new("key", "secret/data/app", null, "password", "GET", null, SecretEncoding.Utf8, null),
        new("b64", "secret/data/app", null, "certificate", "GET", null, SecretEncoding.Base64, null),
        new("hex", "secret/data/app", null, "data", "GET", null, SecretEncoding.Hex, 384),
    ];

    /// <summary>Statuses OpenBao's client does not retry, so each case is one round trip.</summary>
    private static readonly int[] Statuses = [200, 201, 204, 299, 301, 302, 303, 307, 308, 400, 401, 403, 404, 405, 418, 422, 501, 505];

    private static readonly CachedToken Token = new(
        new TokenCacheKey("https://bao:8200/", null, "kubernetes", "app", "openbao", "shop", "app", "uid-1", "app-1"),
        Client(_ => new HttpResponseMessage(HttpStatusCode.OK)),
        new OpenBaoToken("s.x", DateTimeOffset.UnixEpoch, TimeSpan.FromHours(1), true));

    private static string Quote(string text) => JsonSerializer.Serialize(text);

    private static OpenBaoClient Client(Func<HttpRequestMessage, HttpResponseMessage> answer) =>
        new(new HttpMessageInvoker(new Answering(answer)), new OpenBaoConnection(new Uri("https://bao:8200"), null, new OpenBaoTlsSettings()),
            new OpenBaoClientSettings(TimeSpan.FromSeconds(5), 64 * 1024), TestMetrics.Unobserved, TimeProvider.System);

    private static void AssertPrecise(Exception exception)
    {
        var status = MountErrorMapping.ToStatus(exception, DateTime.MaxValue);
        Assert.True(
            status.StatusCode is not (StatusCode.Internal or StatusCode.Unknown or StatusCode.OK),
            $"{exception.GetType().Name} became {status.StatusCode}: {status.Detail}");
    }

    [Fact]
    public void MountRequest_HostileAttributes_InvalidArgumentOrAMount()
    {
        Gen.Select(AttributesJson, Gen.OneOf(Permissions)).Sample(
            input =>
            {
                try
                {
                    MountRequestParser.Parse(input.Item1, input.Item2);
                }
                catch (InvalidMountRequestException ex)
                {
                    Assert.Equal(StatusCode.InvalidArgument, MountErrorMapping.ToStatus(ex, DateTime.MaxValue).StatusCode);
                }

                MountRequestParser.Identify(MountAttributes.Read(input.Item1)).Describe();
            },
            iter: 3000);
    }

    [Fact]
    public void Objects_HostileYaml_ProblemsNeverExceptions()
    {
        Gen.Frequency((1, HostileGen.YamlSoup), (1, HostileGen.Mutated(Attributes.TwoObjects))).Sample(
            yaml =>
            {
                var problems = new List<string>();
                var objects = ObjectsParser.Parse(yaml, problems, []);
                Assert.True(problems.Count > 0 || objects.Count > 0);
            },
            iter: 5000);
    }

    [Fact]
    public void Response_HostileBody_RenderedOrRenderException()
    {
        Gen.Select(HostileGen.Json(5), Gen.OneOf(Renderings)).Sample(
            input =>
            {
                // What reaches the stages has passed the client's checks.
                if (!JsonStrings.AreReadable(System.Text.Encoding.UTF8.GetBytes(input.Item1)))
                {
                    return;
                }

                using var document = JsonDocument.Parse(input.Item1, new JsonDocumentOptions { MaxDepth = 256 });
                CachedSecret.TryCreate(Token, new SecretRequestKey("GET", "secret/data/app", null, null), document.RootElement, DateTimeOffset.UtcNow);
                try
                {
                    SecretRenderer.Render(input.Item2, document.RootElement, 420);
                }
                catch (RenderException ex)
                {
                    AssertPrecise(ex);
                }
            },
            iter: 3000);
    }

    [Fact]
    public void OpenBaoAnswer_HostileStatusAndBody_PreciseStatusForEveryCall()
    {
        Gen.Select(Gen.OneOf(Statuses), HostileGen.Body, Gen.Int[0, 3]).Sample(
            input =>
            {
                var (status, body, call) = input;
                var client = Client(_ =>
                {
                    var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new ByteArrayContent(body) };
                    if (status is >= 300 and < 400 && body.Length % 2 == 0)
                    {
                        response.Headers.Location = new Uri(body.Length % 4 == 0 ? "https://elsewhere:8200/v1/x" : "https://bao:8200/v1/loop");
                    }

                    return response;
                });
                var request = new OpenBaoRequest(HttpMethod.Get, "secret/data/app");
                try
                {
                    switch (call)
                    {
                        case 0:
                            client.LoginAsync("kubernetes", "app", "header.payload.signature", CancellationToken.None).GetAwaiter().GetResult();
                            break;
                        case 1:
                            client.RenewSelfAsync("s.x", TimeSpan.FromHours(1), CancellationToken.None).GetAwaiter().GetResult();
                            break;
                        case 2:
                            client.RenewLeaseAsync("database/creds/app/x", TimeSpan.FromHours(1), "s.x", CancellationToken.None).GetAwaiter().GetResult();
                            break;
                        default:
                            var answer = client.SendAsync(request, "s.x", CancellationToken.None).GetAwaiter().GetResult();
                            CachedSecret.TryCreate(Token, new SecretRequestKey("GET", "secret/data/app", null, null), answer, DateTimeOffset.UtcNow);
                            break;
                    }
                }
                catch (OpenBaoException ex) when (call == 0)
                {
                    AssertPrecise(new LoginFailedException("kubernetes", "app", "shop/app", ex));
                }
                catch (OpenBaoCallException ex)
                {
                    AssertPrecise(new SecretFetchException(["app"], new SecretRequestKey("GET", "secret/data/app", null, null), ex));
                    AssertPrecise(ex);
                }
            },
            iter: 2000);
    }

    private sealed class Answering(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }

    [Theory]
    [InlineData("{\"data\":{\"password\":\"\\ud800\"}}", false)]
    [InlineData("{\"\\udfff\":1}", false)]
    [InlineData("{\"data\":{\"key\":\"\\ud83d\\udd11 \\u00e9\"}}", true)]
    [InlineData("not json at all", true)]
    public void JsonStrings_UnpairedSurrogateEscapes_AreNotReadable(string json, bool readable)
    {
        Assert.Equal(readable, JsonStrings.AreReadable(System.Text.Encoding.UTF8.GetBytes(json)));
    }
}
