using Grpc.Core;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.Fetching;
using OpenBao.Csi.Provider.Grpc;
using OpenBao.Csi.Provider.KubernetesApi;
using OpenBao.Csi.Provider.Mounting;
using OpenBao.Csi.Provider.OpenBao;
using OpenBao.Csi.Provider.Rendering;
using OpenBao.Csi.Provider.Versioning;

namespace OpenBao.Csi.Provider.Tests.Grpc;

public sealed class MountErrorMappingTests
{
    private static readonly SecretRequestKey Read = new("GET", "secret/data/app", null, null);

    private static SecretFetchException ReadFailure(int status, params string[] errors) =>
        new(["db-password"], Read, new OpenBaoException(status, errors, "GET", "secret/data/app"));

    private static ServiceAccountTokenException TokenRequestRefusal(string apiMessage, params string[] causes) =>
        new(apiMessage, System.Net.HttpStatusCode.Forbidden, new KubernetesApiException(403, apiMessage, causes));

    private static LoginFailedException LoginFailure(int status, string error) =>
        new("kubernetes", "app", "shop/app", new OpenBaoException(status, [error], "POST", "auth/kubernetes/login"));

    public static TheoryData<Exception, StatusCode, string> Cases => new()
    {
        { new InvalidMountRequestException(["missing 'roleName' parameter in the SecretProviderClass"]), StatusCode.InvalidArgument, "invalid SecretProviderClass: missing 'roleName'" },
        { new MissingServiceAccountTokenException("no token for audience 'openbao'"), StatusCode.FailedPrecondition, "no token for audience 'openbao'" },
        { TokenRequestRefusal("serviceaccounts \"app\" is forbidden: User \"x\" cannot create resource \"serviceaccounts/token\""), StatusCode.PermissionDenied, "cannot create resource" },
        { TokenRequestRefusal("serviceaccounts \"app\" is forbidden: unable to create new content in namespace shop because it is being terminated", "NamespaceTerminating"), StatusCode.FailedPrecondition, "being terminated" },
        { LoginFailure(403, "service account name not authorized"), StatusCode.PermissionDenied, "login as role 'app' on auth mount 'kubernetes' failed for service account shop/app: service account name not authorized (HTTP 403); bind this service account" },
        { LoginFailure(403, "namespace not authorized"), StatusCode.PermissionDenied, "namespace not authorized" },
        { LoginFailure(400, "error validating claims: claim \"group\" does not match any associated bound claim values"), StatusCode.PermissionDenied, "bound claim" },
        { LoginFailure(400, "error validating token: invalid subject (sub) claim"), StatusCode.PermissionDenied, "invalid subject" },
        { LoginFailure(400, "invalid role name \"x\""), StatusCode.FailedPrecondition, "invalid role name \"x\" (HTTP 400); create role 'app' on auth mount 'kubernetes'" },
        { LoginFailure(400, "role \"x\" could not be found"), StatusCode.FailedPrecondition, "role \"x\" could not be found" },
        // Real OpenBao's kubernetes auth answers a bare permission denied for every failed TokenReview.
        { LoginFailure(403, "permission denied"), StatusCode.PermissionDenied, "permission denied (HTTP 403); OpenBao says only this when its TokenReview fails" },
        { LoginFailure(403, "permission denied"), StatusCode.PermissionDenied, "no auth mount 'kubernetes' in this OpenBao namespace, or when role 'app' has token_bound_cidrs" },
        { LoginFailure(500, "could not parse UID from claims"), StatusCode.Unauthenticated, "could not parse UID from claims (HTTP 500)" },
        { LoginFailure(400, "role with oidc role_type is not allowed"), StatusCode.FailedPrecondition, "oidc role_type is not allowed (HTTP 400); role 'app' cannot accept a service-account token" },
        { LoginFailure(400, "audience claim found in JWT but no audiences bound to the role"), StatusCode.FailedPrecondition, "no audiences bound to the role (HTTP 400); role 'app' cannot accept" },
        { LoginFailure(404, "namespace not found"), StatusCode.FailedPrecondition, "namespace not found (HTTP 404); check the OpenBao namespace" },
        { LoginFailure(400, "error validating token: error verifying token signature: fetching keys oidc: get keys failed: 503 Service Unavailable"), StatusCode.Aborted, "OpenBao could not reach what auth mount 'kubernetes' checks logins against" },
        { LoginFailure(403, "namespace not authorized err=namespaces \"shop\" is forbidden"), StatusCode.Aborted, "the Kubernetes API for the namespace selector of role 'app'" },
        { LoginFailure(400, "error configuring token validator: keyset configuration error: issuer did not match"), StatusCode.Aborted, "jwks_url or oidc_discovery_url" },
        { LoginFailure(403, "invalid expiration time (exp) claim: token is expired"), StatusCode.Unauthenticated, "token is expired" },
        { LoginFailure(403, "invalid audience (aud) claim: audience claim does not match any expected audience"), StatusCode.Unauthenticated, "invalid audience" },
        { LoginFailure(400, "error validating token: error verifying token signature: no known key successfully validated the token signature"), StatusCode.Unauthenticated, "signature" },
        { LoginFailure(503, "Vault is sealed"), StatusCode.Aborted, "Vault is sealed" },
        { ReadFailure(403, "1 error occurred:\n\t* permission denied\n\n"), StatusCode.PermissionDenied, "object 'db-password' (GET secret/data/app): OpenBao returned 403 for GET secret/data/app: permission denied (the role's policies" },
        { ReadFailure(404), StatusCode.NotFound, "returned 404 for GET secret/data/app: no error detail (check secretPath" },
        { ReadFailure(400, "unknown role: x"), StatusCode.InvalidArgument, "unknown role: x" },
        { ReadFailure(429), StatusCode.Aborted, "returned 429" },
        { ReadFailure(418, "teapot"), StatusCode.FailedPrecondition, "teapot" },
        { ReadFailure(501), StatusCode.Aborted, "returned 501" },
        { ReadFailure(503, "Vault is sealed"), StatusCode.Aborted, "Vault is sealed (OpenBao is sealed" },
        { ReadFailure(500, "1 error occurred:\n\t* internal error\n\n"), StatusCode.Aborted, "internal error" },
        { ReadFailure(503, "namespace is sealed"), StatusCode.FailedPrecondition, "namespace is sealed (an OpenBao administrator sealed or locked this namespace" },
        { LoginFailure(503, "API access to this namespace has been locked by an administrator - \"team/\" must be unlocked to gain access."), StatusCode.FailedPrecondition, "must be unlocked to gain access. (HTTP 503); an OpenBao administrator sealed or locked" },
        { new SecretFetchException(["a", "b"], Read, new OpenBaoUnavailableException("cannot reach OpenBao at https://bao:8200/ (Connection refused)")), StatusCode.Aborted, "objects 'a', 'b' (GET secret/data/app): cannot reach OpenBao" },
        { new SecretFetchException(["a"], Read, new OpenBaoUnavailableException("OpenBao at https://bao:8200/ did not answer GET secret/data/app within 30s") { TimedOut = true }), StatusCode.DeadlineExceeded, "did not answer GET secret/data/app within 30s" },
        { new OpenBaoUnavailableException("OpenBao at https://bao:8200/ did not answer POST auth/kubernetes/login within 30s") { TimedOut = true }, StatusCode.DeadlineExceeded, "did not answer POST auth/kubernetes/login" },
        { new OpenBaoTlsException("cannot load CA certificate file /ca.pem"), StatusCode.FailedPrecondition, "TLS to OpenBao: cannot load CA certificate file /ca.pem" },
        { new RenderException("object 'f': key 'k' does not exist", keyMissing: true), StatusCode.NotFound, "key 'k' does not exist" },
        { new RenderException("object 'f': not valid base64", keyMissing: false), StatusCode.InvalidArgument, "not valid base64" },
        { new VersionKeyException("Secret x has no usable key"), StatusCode.FailedPrecondition, "version key: Secret x has no usable key" },
        { new VersionKeyException("cannot reach the Kubernetes API to read Secret csi/k: Connection refused", new HttpRequestException("Connection refused")), StatusCode.Aborted, "version key: cannot reach the Kubernetes API" },
        { new VersionKeyException("the Kubernetes API answered 503", new KubernetesApiException(503, "the server is shutting down")), StatusCode.Aborted, "version key: the Kubernetes API answered 503" },
        { new VersionKeyException("the Kubernetes API did not answer in time when reading Secret csi/k", new OperationCanceledException()), StatusCode.DeadlineExceeded, "did not answer in time" },
        { new VersionKeyException("grant get on secrets", new KubernetesApiException(403, "forbidden")), StatusCode.FailedPrecondition, "version key: grant get on secrets" },
        { new OperationCanceledException(), StatusCode.Cancelled, "cancelled" },
        { new InvalidOperationException("token s.leaky in a foreign message"), StatusCode.Internal, "internal error in the provider" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ToStatus_MapsCodeAndKeepsActionableMessage(Exception exception, StatusCode code, string message)
    {
        var status = MountErrorMapping.ToStatus(exception, DateTime.MaxValue);

        Assert.Equal(code, status.StatusCode);
        Assert.Contains(message, status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("s.leaky", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ToStatus_CancelledPastDeadline_IsDeadlineExceeded()
    {
        var status = MountErrorMapping.ToStatus(new OperationCanceledException(), DateTime.UtcNow.AddSeconds(-1));

        Assert.Equal(StatusCode.DeadlineExceeded, status.StatusCode);
    }

    [Fact]
    public void ToStatus_MountTimeoutSpent_DeadlineExceededNamingTheStep()
    {
        var cancelled = new Pipeline.MountStepCancelledException("reading GET secret/data/app at https://bao:8200/", new OperationCanceledException());

        var status = MountErrorMapping.ToStatus(cancelled, DateTime.MaxValue, TimeSpan.FromSeconds(90));

        Assert.Equal(StatusCode.DeadlineExceeded, status.StatusCode);
        Assert.Equal("the mount did not finish within -mount-timeout (90s): it was reading GET secret/data/app at https://bao:8200/", status.Detail);
    }
}
