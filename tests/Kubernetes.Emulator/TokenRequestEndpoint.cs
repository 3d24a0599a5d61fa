using System.Text.Json.Nodes;

namespace Kubernetes.Emulator;

/// <summary>
/// <c>POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token</c>, following the checks and
/// order of kube-apiserver: authorization, NamespaceLifecycle admission, then TokenREST's validation, the
/// service account, and the bound object.
/// </summary>
internal sealed class TokenRequestEndpoint(ClusterStore store, ServiceAccountTokenIssuer issuer, FakeKubernetesApiOptions options)
{
    private const long DefaultExpirationSeconds = 3600;
    private const long MinExpirationSeconds = 10 * 60;
    private const long MaxExpirationSeconds = 1L << 32;

    public ApiResponse Create(string @namespace, string serviceAccount, JsonObject body)
    {
        var spec = body["spec"] as JsonObject;
        var requestedAudiences = JsonRead.Strings(spec?["audiences"]);
        var requestedExpiration = JsonRead.Int64(spec?["expirationSeconds"]);
        var boundRef = spec?["boundObjectRef"] as JsonObject;
        var boundKind = JsonRead.String(boundRef?["kind"]);
        var boundApiVersion = JsonRead.String(boundRef?["apiVersion"]);
        var boundName = JsonRead.String(boundRef?["name"]);
        var boundUid = JsonRead.String(boundRef?["uid"]);

        store.RecordTokenRequest(new TokenRequestRecord(
            @namespace, serviceAccount, requestedAudiences, requestedExpiration, boundKind, boundName, boundUid));

        if (store.IsDenied("create", "serviceaccounts/token", @namespace))
        {
            return KubernetesStatus.Forbidden(options.CallerUserName, "create", "serviceaccounts", "token", @namespace, serviceAccount);
        }

        // NamespaceLifecycle refuses subresource creates too, before TokenREST validates anything. The name is
        // the service account's from the URL, and the resource the parent's, without "/token".
        if (store.IsTerminating(@namespace))
        {
            return KubernetesStatus.NamespaceTerminating("serviceaccounts", serviceAccount, @namespace);
        }

        // The v1 API defaults expirationSeconds before validation runs.
        var expirationSeconds = requestedExpiration ?? DefaultExpirationSeconds;
        if (Validate(expirationSeconds) is { } invalid)
        {
            return invalid;
        }

        if (store.FindServiceAccountUid(@namespace, serviceAccount) is not { } serviceAccountUid)
        {
            return KubernetesStatus.NotFound("serviceaccounts", serviceAccount);
        }

        ObjectReference? pod = null;
        ObjectReference? secret = null;
        if (boundRef is not null)
        {
            var (group, version) = SplitApiVersion(boundApiVersion ?? string.Empty);
            var name = boundName ?? string.Empty;
            if (group.Length == 0 && boundKind == "Pod")
            {
                (pod, var failure) = ResolvePod(@namespace, serviceAccount, name, boundUid);
                if (failure is not null)
                {
                    return failure;
                }
            }
            else if (group.Length == 0 && boundKind == "Secret")
            {
                (secret, var failure) = ResolveSecret(@namespace, name, boundUid);
                if (failure is not null)
                {
                    return failure;
                }
            }
            else
            {
                return KubernetesStatus.BadRequest($"cannot bind token to object of type {group}/{version}, Kind={boundKind}");
            }
        }

        var audiences = requestedAudiences.Count == 0 ? options.DefaultAudiences : requestedAudiences;
        var now = options.TimeProvider.GetUtcNow();
        // JWT times are whole seconds; truncating keeps expirationTimestamp equal to the exp claim.
        now = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var expiry = now.AddSeconds(expirationSeconds);
        var token = issuer.Issue(new BoundToken(@namespace, serviceAccount, serviceAccountUid, audiences, now, expiry, pod, secret));

        var responseSpec = new JsonObject
        {
            ["audiences"] = new JsonArray([.. audiences.Select(a => JsonValue.Create(a))]),
            ["expirationSeconds"] = expirationSeconds,
        };
        if (boundRef is not null)
        {
            responseSpec["boundObjectRef"] = boundRef.DeepClone();
        }

        var response = new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = serviceAccount, ["namespace"] = @namespace, ["creationTimestamp"] = null },
            ["spec"] = responseSpec,
            ["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = GoFormat.Timestamp(expiry) },
        };
        return new ApiResponse(201, response);
    }

    private static ApiResponse? Validate(long expirationSeconds)
    {
        var field = "spec.expirationSeconds";
        var value = expirationSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        FieldError? error = expirationSeconds switch
        {
            < MinExpirationSeconds => FieldError.Invalid(field, value, "may not specify a duration less than 10 minutes"),
            > MaxExpirationSeconds => FieldError.Invalid(field, value, "may not specify a duration larger than 2^32 seconds"),
            _ => null,
        };
        return error is null ? null : KubernetesStatus.Invalid("TokenRequest", "authentication.k8s.io", string.Empty, [error]);
    }

    private (ObjectReference? Reference, ApiResponse? Failure) ResolvePod(string @namespace, string serviceAccount, string name, string? uid)
    {
        if (store.FindPod(@namespace, name) is not { } pod)
        {
            return options.RequireRegisteredPods || store.WasPodDeleted(@namespace, name)
                ? (null, KubernetesStatus.NotFound("pods", name))
                : (new ObjectReference(name, uid ?? string.Empty), null);
        }

        if (pod.ServiceAccountName != serviceAccount)
        {
            return (null, KubernetesStatus.BadRequest(
                $"cannot bind token for serviceaccount {GoFormat.Quote(serviceAccount)} to pod running with different serviceaccount name."));
        }

        if (!string.IsNullOrEmpty(uid) && uid != pod.Uid)
        {
            return (null, UidConflict("Pod", name, uid));
        }

        return (new ObjectReference(pod.Name, pod.Uid), null);
    }

    private (ObjectReference? Reference, ApiResponse? Failure) ResolveSecret(string @namespace, string name, string? uid)
    {
        if (store.FindSecret(@namespace, name) is not { } stored)
        {
            return (null, KubernetesStatus.NotFound("secrets", name));
        }

        var storedUid = JsonRead.String(stored["metadata"]?["uid"]) ?? string.Empty;
        if (!string.IsNullOrEmpty(uid) && uid != storedUid)
        {
            return (null, UidConflict("Secret", name, uid));
        }

        return (new ObjectReference(name, storedUid), null);
    }

    private static ApiResponse UidConflict(string kind, string name, string uid) =>
        KubernetesStatus.Conflict(
            kind,
            name,
            $"the UID in the bound object reference ({uid}) does not match the UID in record. The object might have been deleted and then recreated");

    private static (string Group, string Version) SplitApiVersion(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (string.Empty, apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }
}
